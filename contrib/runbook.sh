#!/bin/sh
# A sample runbook for brig, for cron and for people. It acts on `brig runbook`'s exit statuses:
#   0 healthy, 1 degraded, 2 critical, 3 unreachable.
#
#   runbook.sh check        every minute from cron: log degraded, page on critical or unreachable
#   runbook.sh maintenance  drain, wait until running and queued jobs are done (at most $DRAIN_WAIT s)
#   runbook.sh done         resume after maintenance
#   runbook.sh panic        emergency stop: kill every sandbox now, refuse work, keep state
#   runbook.sh cleanup      remove what crashed runs left behind
#
# cron:  * * * * * root /usr/local/share/brig/runbook.sh check
set -u

BRIG=${BRIG:-/usr/local/bin/brig}
SOCKET=${BRIG_SOCKET:-/run/brig/brig.sock}
DRAIN_WAIT=${DRAIN_WAIT:-600}
# How to wake someone: replace with your pager's command; it gets the message as its arguments.
page() { logger -t brig-runbook -p daemon.crit -- "$*"; }
note() { logger -t brig-runbook -p daemon.warning -- "$*"; }

runbook() { "$BRIG" runbook "$@" --socket "$SOCKET"; }

check() {
    report=$(runbook health-check 2>&1)
    status=$?
    case $status in
        0) ;;
        1) note "brig degraded: $report"
           # A failing self-test may have been a fluke: run it again (its result feeds the breakers).
           runbook selftest >/dev/null 2>&1 || note "brig self-test still failing" ;;
        2) page "brig critical: $report" ;;
        3) if systemctl is-active --quiet brig; then
               page "brig unreachable although its unit is active (systemd's watchdog restarts it if hung): $report"
           else
               page "brig is down: $report"
           fi ;;
        *) page "brig runbook health-check failed with exit $status: $report" ;;
    esac
    return $status
}

idle() {
    # Nothing running and nothing queued.
    json=$(runbook health-check --json 2>/dev/null) || return 1
    if command -v jq >/dev/null 2>&1; then
        [ "$(printf '%s' "$json" | jq '.slots.busy + .queue.depth')" = 0 ]
    else
        printf '%s' "$json" | grep -q '"busy":0' && printf '%s' "$json" | grep -q '"depth":0'
    fi
}

maintenance() {
    runbook drain || return $?
    waited=0
    until idle; do
        if [ "$waited" -ge "$DRAIN_WAIT" ]; then
            echo "still busy after ${DRAIN_WAIT}s; jobs keep running (brig stays drained)" >&2
            return 1
        fi
        sleep 5
        waited=$((waited + 5))
    done
    echo "drained: nothing running, nothing queued"
}

case "${1:-check}" in
    check) check ;;
    maintenance) maintenance ;;
    done) runbook resume ;;
    panic) runbook emergency-stop && page "brig emergency stop by $(id -un) on $(hostname)" ;;
    cleanup) runbook reap ;;
    *) echo "usage: $0 check|maintenance|done|panic|cleanup" >&2; exit 64 ;;
esac
