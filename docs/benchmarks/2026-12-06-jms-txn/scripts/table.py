import csv, glob, os, re, statistics, sys
# table.py RUNS_DIR [SYSTEMS] — markdown table of workload e per round and system, with ratios
base = sys.argv[1]
rows = {}
for d in sorted(glob.glob(base + '/r*-*/')):
    m = re.search(r'/r(\d+)-(\w+)/$', d)
    r, s = int(m.group(1)), m.group(2)
    f = os.path.join(d, 'artemis' if s == 'artemis' else 'tributary', 'summary.tsv')
    if not os.path.exists(f): continue
    lines = [l for l in open(f) if not l.startswith('#')]
    for row in csv.DictReader(lines, delimiter='\t'):
        if row['id'] == 'e': rows[(r, s)] = row
rounds = sorted({r for r, _ in rows})
# argv[2]: the systems to tabulate, comma-separated (e.g. base,after1,after3,after2 or base,after1)
systems = sys.argv[2].split(',') if len(sys.argv) > 2 else ['base', 'after1', 'after2', 'artemis']
print('| round | load (start) | ' + ' | '.join(f'{s} msg/s (broker CPU s, other CPU s)' for s in systems) + ' | after1/base | after2/base | after2/artemis | base/artemis |')
print('|---' * (len(systems) + 6) + '|')
ratios = {k: [] for k in ['a1b', 'a2b', 'a2a', 'ba']}
for r in rounds:
    up = open(f'{base}/r{r}-uptime-start.txt').read().split('load average:')[1].strip() if os.path.exists(f'{base}/r{r}-uptime-start.txt') else '-'
    v = {s: float(rows[(r, s)]['recv_msg_s']) for s in systems if (r, s) in rows}
    cells = [f"{rows[(r,s)]['recv_msg_s']} ({rows[(r,s)]['broker_cpu_s']}, {rows[(r,s)]['other_cpu_s']})" if (r, s) in rows else '-' for s in systems]
    def q(a, b, k):
        if a in v and b in v:
            x = v[a] / v[b]; ratios[k].append(x); return f'{x:.2f}'
        return '-'
    print(f'| {r} | {up} | ' + ' | '.join(cells) + f" | {q('after1','base','a1b')} | {q('after2','base','a2b')} | {q('after2','artemis','a2a')} | {q('base','artemis','ba')} |")
print()
for k, name in [('a1b', 'after1/base'), ('a2b', 'after2/base'), ('a2a', 'after2/artemis'), ('ba', 'base/artemis')]:
    if ratios[k]: print(f'median {name}: {statistics.median(ratios[k]):.2f} (range {min(ratios[k]):.2f}-{max(ratios[k]):.2f}, n={len(ratios[k])})')
