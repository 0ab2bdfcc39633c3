#!/bin/bash
# usage: run.sh <jar> <classes> <label> <media> [strace]
jar=$1 cls=$2 label=$3 media=$4 mode=${5:-cpu}
d=/tmp/bench-del-store-$label; rm -rf $d $d.go; mkdir -p $d
java -XX:+UseSerialGC -cp $jar:$cls DelBench $d $media > ./$label.out 2>&1 &
jp=$!
until grep -q "^media=" ./$label.out 2>/dev/null; do sleep 0.2; done
tid=$(grep -l '^del-bench$' /proc/$jp/task/*/comm | head -1 | cut -d/ -f5)
if [ "$mode" = strace ]; then
  strace -c -o ./$label.strace -p $tid & sp=$!; sleep 1
fi
s0=$(cat /proc/$jp/task/$tid/schedstat); c0=$(grep ctxt /proc/$jp/task/$tid/status | tr '\n' ' ')
touch $d.go
while ! grep -q tid_done ./$label.out; do sleep 0.1; done
s1=$(cat /proc/$jp/task/$tid/schedstat 2>/dev/null); c1=$(grep ctxt /proc/$jp/task/$tid/status 2>/dev/null| tr '\n' ' ')
[ "$mode" = strace ] && { sleep 0.5; kill -INT $sp 2>/dev/null; wait $sp; }
wait $jp
echo "$label schedstat0=[$s0] schedstat1=[$s1] ctx0=[$c0] ctx1=[$c1]" >> ./$label.out
cat ./$label.out
rm -rf $d $d.go
