#!/bin/sh
# every 1 s: UTC time, then each CPU's /proc/stat line (user nice system idle iowait irq softirq steal ...)
while :; do
  printf '%s ' "$(date -u +%FT%T.%3N)"
  awk '/^cpu[0-9]/ {printf "%s ", $0} END {print ""}' /proc/stat
  sleep 1
done
