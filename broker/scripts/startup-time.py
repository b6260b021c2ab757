#!/usr/bin/env python3
"""Time from launching a broker to its first answered ApiVersions request (wall clock and the
process's CPU time), on an empty data directory; then its RSS after 5 s idle; then SIGTERM and its
exit code. Works for any Kafka-protocol broker that starts in the foreground.

usage:  broker/scripts/startup-time.py PORT CMD...     (CMD runs in a fresh empty temporary directory)
e.g.    broker/scripts/startup-time.py 9092 "$PWD/bin/tributary"
        TRIBUTARY_CDS=false broker/scripts/startup-time.py 9092 "$PWD/bin/tributary"
"""
import os, shutil, socket, struct, subprocess, sys, tempfile, time

port = int(sys.argv[1]); cmd = sys.argv[2:]
with socket.socket() as probe:
    if probe.connect_ex(("127.0.0.1", port)) == 0:
        sys.exit(f"port {port} is already in use")
cwd = tempfile.mkdtemp(prefix="trib-start-")
client_id = b"timer"
body = struct.pack(">hhih", 18, 0, 1, len(client_id)) + client_id   # ApiVersions v0 request header
frame = struct.pack(">i", len(body)) + body
t0 = time.monotonic()
proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    answered = None
    while time.monotonic() - t0 < 30 and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(frame)
                size = struct.unpack(">i", s.recv(4))[0]
                data = b""
                while len(data) < size:
                    data += s.recv(size - len(data))
                err = struct.unpack(">h", data[4:6])[0]
                answered = (time.monotonic() - t0) * 1000
                with open(f"/proc/{proc.pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                cpu_ms = (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
                break
        except (ConnectionRefusedError, ConnectionResetError, struct.error):
            time.sleep(0.005)
    print(f"answered ApiVersions after {answered:.0f} ms wall, {cpu_ms:.0f} ms CPU (error code {err})"
          if answered else "no answer", flush=True)
    time.sleep(5)
    with open(f"/proc/{proc.pid}/status") as f:
        rss = int(f.read().split("VmRSS:")[1].split()[0])
    print(f"idle RSS after 5 s: {rss / 1024:.1f} MiB", flush=True)
finally:
    proc.terminate()
    proc.wait(30)
    print(f"exit code after SIGTERM: {proc.returncode}", flush=True)
    shutil.rmtree(cwd, ignore_errors=True)
