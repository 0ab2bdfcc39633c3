#!/bin/bash
# the third go (19:07 UTC): more pairs, each only if it can end by 19:35 UTC (estimates from p1-p4, s1-s2 as held: 390 s, 160 s)
# runs the pairs in turn; a pair starts only if it can end by 19:35 UTC (estimate: the longest earlier pair of its
# scale, at first 11 min at 20,266 files and 6 min at 3,409), and waits for the lock at most until then
R=/work/wt/rgwonce/bench/results/2026-12-04-rgwonce
end=$(date -u -d 'today 19:35' +%s)
declare -A est=([1]=390 [0.165]=160)
run() { # name tools dir dbtag scale
    local now left t0 d
    now=$(date -u +%s); left=$(( end - now - ${est[$5]} ))
    if [ "$left" -le 0 ]; then echo "pair $1 skipped at $(date -u +%T): cannot end by 19:35"; return; fi
    t0=$now
    bash $R/pair.sh "$1" "$2" "$3" "$4" "$5" "$left" > $R/bench-$1.log 2>&1
    d=$(( $(date -u +%s) - t0 )); echo "pair $1 took ${d}s (incl. lock wait): $(tail -1 $R/bench-$1.log)"
    # its duration from taking the lock on (the wait for the lock not counted)
    local l; l=$(awk '/^locked / {print $3}' $R/bench-$1.log)
    [ -n "$l" ] && d=$(( $(date -u +%s) - l ))
    [ "$d" -gt "${est[$5]}" ] && est[$5]=$d
    sleep 20   # the lock stays free a while for others
}
run p5 "ours-inst rclone" /tmp/bench-rgwonce rgwonce 1
run s3 "ours-inst rclone" /tmp/bench-rgwonce-s rgwonce_s 0.165
run s4 "rclone ours-inst" /tmp/bench-rgwonce-s rgwonce_s 0.165
run p6 "rclone ours-inst" /tmp/bench-rgwonce rgwonce 1
echo "driver3 done $(date -u +%FT%T)"
