/// The default profile and the host image compiled into brig, so that it runs with no files installed. They are
/// profiles/default.toml and sandbox-images/host/image.toml byte for byte (`BuiltinCatalogTests` checks): when
/// you change one of those files, paste it here too.
enum BuiltinCatalog {
    static let defaultProfile = #"""
# profiles/default.toml: the profile a job gets when it names none.
# Meant for editor snippets: small, quick, tight.
#
# The profile's name is the file name (default.toml -> "default"): lowercase letters, digits, "_" and "-".
# Sizes are written "256MiB", "1GiB", "512KiB" (powers of 1024) or "64MB" (powers of 1000); a bare number
# is bytes. Times are written "10s", "500ms", "2m", "1.5s", "1h". Decimals are fine: "1.5GiB".
# A mistake (an unknown key, a bad value) is reported with the file, key and reason, never ignored;
# a broken profile is not served.

# Shown by GET /v1/profiles.
description = "Editor snippets: small, quick, tight"

# Network inside the sandbox. "none" is the only mode: loopback only, nothing outside the host.
network = "none"

# The seccomp policy (system-call filter) by name; "default" is brig's standard policy.
seccomp = "default"

# How many jobs with this profile run at once; the rest wait in the queue. The machine has 2 cores.
concurrency = 2

# What a job gets when it asks for nothing. A key left out takes brig's built-in value
# (the values below are those built-in values, written out so you can see them).
[limits]
# Wall-clock time from start to end, including time spent waiting or sleeping (at most 24h).
wall_time = "10s"
# CPU time of every process in the sandbox together; 2 busy threads use it twice as fast as wall time.
cpu_time = "5s"
# Memory of the whole sandbox: processes, page cache and the /work and /tmp files (they live in memory).
# No swap. At least 8MiB.
memory = "256MiB"
# CPU bandwidth in cores: 1.0 is one full core, 0.5 half of one (more than 0, at most 64).
cpus = 1.0
# Processes and threads alive at once (1 to 32768). A fork bomb stops here.
pids = 64
# Bytes of stdout, and separately of stderr, that the job's result keeps.
output = "1MiB"
# Past `output`: "truncate" keeps the first bytes, marks the stream truncated and lets the program run;
# "kill" ends the run with status output_limit.
output_overflow = "truncate"
# Size of the writable /work folder, where the job's files are (counts toward memory).
workspace = "64MiB"
# Size of the private /tmp (counts toward memory).
tmp = "64MiB"
# Open files per process (16 to 1048576).
open_files = 256
# The largest single file a program may write.
file_size = "64MiB"
# Stack size of the main thread.
stack = "8MiB"

# The most a job may ask for in its request's "limits". Same keys as [limits] except output_overflow, which
# a job may set either way. A key left out here is the [limits] value: a job may lower it but not raise it.
[maxima]
wall_time = "60s"
cpu_time = "30s"
memory = "1GiB"
cpus = 2.0
pids = 128
output = "8MiB"
workspace = "256MiB"
tmp = "256MiB"
open_files = 1024
file_size = "256MiB"
stack = "64MiB"

# What the compile step of a compiled language (c, cpp, java, go, swift, ...) gets; the program it builds then
# runs with [limits]. Same keys as [limits] but workspace: compile and run share one /work, sized by [limits].
# A key left out is the [limits] value. Compilers need far more than a snippet: javac and swiftc start many
# threads, swiftc and the JVM want hundreds of MiB, and a first compile on a busy machine takes seconds.
[compile]
wall_time = "30s"
cpu_time = "30s"
memory = "1GiB"
pids = 256
# Compilers' temporary files and module caches (Go's build cache, Swift's module cache) go to /tmp.
tmp = "256MiB"

"""#

    static let hostImage = #"""
# sandbox-images/host/image.toml: the host's own userland, shown read-only (and nosuid, nodev).
#
# The image's name is its folder's name ("host"). brig makes /proc, /dev, /tmp, /work, /sys, /etc/passwd and
# /etc/group itself, so none of those (nor anything inside or above them, such as / or /etc) may be listed.
# Paths are absolute, without "..". Symlinks (on Debian 12 /bin, /sbin, /lib and /lib64 point into /usr) are
# recreated as symlinks inside the sandbox, so list both the link and what it points to.
# Never list /root, /home, /var, /run or /opt as a whole: they hold other people's files, secrets and sockets
# (/opt/swift alone is listed below, for the swift language). The python3 first on root's PATH is a pyenv shim
# under /root; the sandbox uses Debian's /usr/bin/python3.
# The languages this image provides are in languages/NAME.toml, one file each (see languages/python.toml).

description = "The host's own userland, read-only"

[filesystem]
# Must exist on this host; a missing one makes the image unusable (and reported) rather than half there.
read_only = [
    "/usr",             # programs, libraries, interpreters, locales (/usr/lib/locale), time zones (/usr/share/zoneinfo)
    "/bin",             # -> usr/bin; #! lines name /bin/sh
    "/sbin",            # -> usr/sbin
    "/lib",             # -> usr/lib; holds the multiarch library folders
    "/etc/ld.so.cache", # how the dynamic loader finds libraries fast
]
# Shown when present, skipped where missing.
optional = [
    "/lib64",               # -> usr/lib64; the x86-64 dynamic loader's path, /lib64/ld-linux-x86-64.so.2
    "/lib32",               # 32-bit libraries, on hosts that have them
    "/libx32",
    "/etc/alternatives",    # many /usr/bin links (java, awk, cc, editor, ...) point here, and on into /usr
    "/etc/ssl/certs",       # TLS trust: ca-certificates.crt, the hashed links, java/cacerts (links into /usr/share)
    "/etc/ssl/openssl.cnf", # read by OpenSSL at start-up; /etc/ssl/private is deliberately not shown
    "/etc/localtime",       # the time zone (a link into /usr/share/zoneinfo)
    "/etc/timezone",        # the zone's name, read by some runtimes
    "/etc/locale.alias",    # /usr/share/locale/locale.alias links here
    "/etc/nsswitch.conf",   # how getpwuid and friends look names up (files first: brig's /etc/passwd)
    "/etc/java-17-openjdk", # the JDK's jvm.cfg, security and logging settings live here, linked from /usr/lib/jvm
    "/etc/python3.11",      # Debian's sitecustomize.py, linked from /usr/lib/python3.11
    "/etc/perl",            # first folder on Debian's perl @INC
    "/opt/swift",           # the Swift toolchain (swiftc, and the runtime libraries its programs load): only the
                            # swift language uses it; without it that language is unusable, the others are not
]

# The environment every program in the sandbox starts with. Names: letters, digits and _.
[environment]
PATH = "/usr/local/bin:/usr/bin:/bin"
HOME = "/work"
LANG = "C.UTF-8"

"""#
}
