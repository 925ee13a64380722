#!/usr/bin/env python3
"""Time to first prompt of the imagine REPL vs plain jshell, and time to the first drawn image.

Each program runs in a fresh pseudo-terminal (80x24, TERM=xterm-256color) on the same machine in
the same run; the clock stops when the prompt text appears in its output. "First image" types a
generation at the first prompt (embedded local backend, IMAGINE_IMAGES=blocks) and stops when the
first half-block cell arrives. Median and range over --runs runs (default 5).

usage: bench/repl-startup.py [--runs N]     (run from the repository root after ./scripts/imagine built the jar)
"""
import fcntl, os, pty, select, statistics, struct, subprocess, sys, tempfile, termios, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "imagine-0.1.0-SNAPSHOT-all.jar")


def run(argv, prompt, env_extra, then=None, done=None, timeout=60):
    """Starts argv in a pty; returns seconds until `prompt` (and, with `then`, until `done` after typing it)."""
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24", **env_extra)
    env.pop("OPENAI_API_KEY", None)
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # a pty starts 0x0
    start = time.monotonic()
    out, t_prompt, t_done = b"", None, None
    try:
        while time.monotonic() - start < timeout:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
                # answer terminal queries as a plain xterm would, so probes do not wait for a timeout
                if b"\x1b[c" in chunk:
                    os.write(fd, b"\x1b[?62;22c")
                if b"\x1b[6n" in chunk:
                    os.write(fd, b"\x1b[1;1R")
            if t_prompt is None and prompt.encode() in out:
                t_prompt = time.monotonic() - start
                if then is None:
                    break
                os.write(fd, then.encode() + b"\r")
                out = b""
            elif t_prompt is not None and done.encode() in out:
                t_done = time.monotonic() - start
                break
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return t_prompt, t_done


def summary(name, values):
    values = [v for v in values if v is not None]
    if not values:
        return f"| {name} | failed | |"
    return f"| {name} | {statistics.median(values):.2f} s | {min(values):.2f}–{max(values):.2f} s |"


def main():
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    if not os.path.exists(JAR):
        sys.exit("build first: ./scripts/imagine --version")
    work = tempfile.mkdtemp(prefix="imagine-bench-")
    os.chdir(work)
    env = {"XDG_CONFIG_HOME": os.path.join(work, "config"), "IMAGINE_IMAGES": "blocks"}
    launcher = [os.path.join(ROOT, "scripts", "imagine")]
    plain_jar = ["java", "-jar", JAR]
    gen = 'images().prompt("a red fox in snow").generate()'
    # one untimed run of the launcher makes its CDS archive, as a user's first session does
    run(launcher, "imagine>", env, then="/exit", done="\n")
    rows = {k: [] for k in ("jshell", "jshell_startup", "imagine_jar", "imagine", "image")}
    for _ in range(runs):
        rows["jshell"].append(run(["jshell"], "jshell>", env)[0])
        rows["jshell_startup"].append(run(["jshell", "--class-path", JAR, "--startup", "DEFAULT", "--startup",
                                           os.path.join(ROOT, "src/main/resources/imagine-startup.jsh")], "jshell>", env)[0])
        rows["imagine_jar"].append(run(plain_jar, "imagine>", env)[0])
        rows["imagine"].append(run(launcher, "imagine>", env)[0])
        rows["image"].append(run(launcher, "imagine>", env, then=gen, done="▀")[1])
    print(f"{runs} runs each, {os.cpu_count()} cores, {subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]}")
    print("| what | median | range |")
    print("|---|---|---|")
    print(summary("plain `jshell` → `jshell>`", rows["jshell"]))
    print(summary("`jshell` + imagine jar and startup file → `jshell>`", rows["jshell_startup"]))
    print(summary("`java -jar imagine-…-all.jar` → `imagine>`", rows["imagine_jar"]))
    print(summary("`scripts/imagine` (CDS archive) → `imagine>`", rows["imagine"]))
    print(summary("`scripts/imagine` → first image drawn (local backend, from process start)", rows["image"]))


if __name__ == "__main__":
    main()
