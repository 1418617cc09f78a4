#!/usr/bin/env bash
# Two app servers (or DEMO_APP_SERVERS) behind nginx on one PostgreSQL, on this machine.
#
#   DATABASE_URL=postgresql+psycopg://user@host:5432/db deploy/demo.sh up    # prints the address
#   deploy/demo.sh status
#   deploy/demo.sh down                                                      # stops what "up" started
#
# Everything it starts is recorded in DEMO_STATE_DIR (default /tmp/alignment-demo-$UID): the app servers'
# and nginx's pids, logs (app-1.log... one JSON line per event), the rendered nginx.conf, the shared cookie
# secret. "down" stops exactly those processes (each checked to still be the one started) and nothing else.
# Optional: DEMO_PORT (the proxy's port; a free one otherwise), DEMO_APP_SERVERS (2), PYTHON (python3),
# NGINX (nginx). See docs/deployment.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
STATE=${DEMO_STATE_DIR:-/tmp/alignment-demo-$(id -u)}
PYTHON=${PYTHON:-python3}
NGINX=${NGINX:-nginx}
SERVERS=${DEMO_APP_SERVERS:-2}

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

alive() {  # alive PIDFILE WORD: the pid in PIDFILE runs and its command line has WORD (not a reused pid)
    local pid
    [[ -s $1 ]] || return 1
    pid=$(cat "$1")
    [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2"
}

wait_for() {  # wait_for URL SECONDS: until URL answers 200
    local deadline=$((SECONDS + $2))
    until "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=3)' "$1" 2>/dev/null; do
        if ((SECONDS > deadline)); then return 1; fi
        sleep 0.5
    done
}

up() {
    if [[ -z ${DATABASE_URL:-} || ${DATABASE_URL} != postgresql* ]]; then
        echo "DATABASE_URL must name a PostgreSQL database (postgresql+psycopg://...): several app servers share it" >&2
        exit 2
    fi
    for f in "$STATE"/app-*.pid; do
        if alive "$f" streamlit; then echo "already up (deploy/demo.sh down first): $STATE" >&2; exit 1; fi
    done
    mkdir -p "$STATE"
    chmod 700 "$STATE"
    # nginx's workers drop to "nobody" when started as root: their temp files and cache go in a folder of
    # theirs, which "down" removes.
    temp=$(mktemp -d "${TMPDIR:-/tmp}/alignment-nginx-XXXXXX")
    echo "$temp" >"$STATE/nginx.temp"
    mkdir -p "$temp"/{client_body,proxy,fastcgi,uwsgi,scgi,cache}
    if [[ $(id -u) == 0 ]]; then chown -R nobody "$temp"; fi
    # One cookie secret for every app server: Streamlit signs its XSRF cookie with it, so a browser moved
    # to another server (failover) can still upload.
    if [[ -n ${STREAMLIT_SERVER_COOKIE_SECRET:-} ]]; then
        secret=$STREAMLIT_SERVER_COOKIE_SECRET
    else
        [[ -s $STATE/cookie_secret ]] || (umask 077 && "$PYTHON" -c 'import secrets; print(secrets.token_hex(32))' >"$STATE/cookie_secret")
        secret=$(cat "$STATE/cookie_secret")
    fi
    args=()
    for i in $(seq 1 "$SERVERS"); do
        port=$(free_port)
        (
            cd "$ROOT"
            STREAMLIT_SERVER_COOKIE_SECRET=$secret exec "$PYTHON" -m streamlit run app.py \
                --server.headless true --server.address 127.0.0.1 --server.port "$port" \
                --browser.gatherUsageStats false >"$STATE/app-$i.log" 2>&1
        ) &
        echo $! >"$STATE/app-$i.pid"
        echo "$port" >"$STATE/app-$i.port"
        args+=(--server "127.0.0.1:$port")
    done
    for i in $(seq 1 "$SERVERS"); do
        port=$(cat "$STATE/app-$i.port")
        # ready: the database answers, migrated (the first server migrates, under an advisory lock)
        if ! wait_for "http://127.0.0.1:$port/readyz" 180; then
            echo "app server $i (port $port) is not ready; its log: $STATE/app-$i.log" >&2
            tail -5 "$STATE/app-$i.log" >&2 || true
            down
            exit 1
        fi
    done
    listen_port=${DEMO_PORT:-$(free_port)}
    "$PYTHON" "$HERE/render_nginx.py" --listen "127.0.0.1:$listen_port" --state "$STATE" --temp "$temp" "${args[@]}" >"$STATE/nginx.conf"
    echo "$listen_port" >"$STATE/proxy.port"
    "$NGINX" -p "$STATE" -c "$STATE/nginx.conf" -e "$STATE/nginx-error.log"
    if ! wait_for "http://127.0.0.1:$listen_port/healthz" 30; then
        echo "nginx did not answer; its log: $STATE/nginx-error.log" >&2
        down
        exit 1
    fi
    echo "http://127.0.0.1:$listen_port"
}

stop_pid() {  # stop_pid PIDFILE WORD [SIGNAL]: stop that process if it is still the one started, and wait
    local pid
    if alive "$1" "$2"; then
        pid=$(cat "$1")
        kill "-${3:-TERM}" "$pid" 2>/dev/null || true
        for _ in $(seq 1 60); do
            alive "$1" "$2" || break
            sleep 0.25
        done
        if alive "$1" "$2"; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$1"
}

down() {
    [[ -d $STATE ]] || { echo "nothing started ($STATE does not exist)"; return 0; }
    stop_pid "$STATE/nginx.pid" nginx QUIT
    for f in "$STATE"/app-*.pid; do
        [[ -e $f ]] && stop_pid "$f" streamlit
    done
    rm -f "$STATE"/app-*.port "$STATE/proxy.port"
    if [[ -s $STATE/nginx.temp ]]; then
        rm -rf -- "$(cat "$STATE/nginx.temp")"
        rm -f "$STATE/nginx.temp"
    fi
    echo "stopped (logs kept in $STATE)"
}

status() {
    [[ -s $STATE/proxy.port ]] && echo "proxy: http://127.0.0.1:$(cat "$STATE/proxy.port")"
    alive "$STATE/nginx.pid" nginx && echo "nginx: pid $(cat "$STATE/nginx.pid")"
    for f in "$STATE"/app-*.pid; do
        [[ -e $f ]] || continue
        n=$(basename "$f" .pid)
        if alive "$f" streamlit; then echo "$n: pid $(cat "$f"), port $(cat "$STATE/$n.port")"; else echo "$n: stopped"; fi
    done
}

case ${1:-} in
    up) up ;;
    down) down ;;
    status) status ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
