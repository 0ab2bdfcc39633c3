#!/bin/sh
# every 5 s: UTC time, then pid:utime+stime (clock ticks) of the given processes
while :; do
  printf '%s' "$(date -u +%FT%T)"
  for p in "$@"; do [ -r /proc/$p/stat ] && printf ' %s:%s' "$p" "$(awk '{print $14+$15}' /proc/$p/stat)"; done
  echo
  sleep 5
done
