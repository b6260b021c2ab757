#!/usr/bin/env bash
# ab2.sh OUTBASE FIRST LAST : rounds FIRST..LAST, each: base, after1, after2, artemis (order rotated per round), under the perf lock
OUTB=$1; F=$2; L=$3; SYS=(${SYSTEMS:-base after1 after2 artemis})
for r in $(seq "$F" "$L"); do
  flock /tmp/tributary-perf.lock bash -c '
    OUTB=$1; r=$2; shift 2; SYS=("$@")
    uptime > $OUTB/r$r-uptime-start.txt
    for i in $(seq 0 $(( ${#SYS[@]} - 1 ))); do s=${SYS[$(( (i + r) % ${#SYS[@]} ))]}; /tmp/jmstxn/one.sh $s $OUTB/r$r-$s; done
    uptime > $OUTB/r$r-uptime-end.txt' _ "$OUTB" "$r" "${SYS[@]}"
done
