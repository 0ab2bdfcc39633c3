package org.mediaoffload.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns bench/run.sh's results.tsv into one Markdown table per scenario. "client CPU ms/file" is the client's
 * user+sys CPU over its files; for our run-once, "net of start" subtracts the CPU of a run-once on an empty store
 * (JVM start, config, DB and journal open) with the same JVM options, measured in the same scenario.
 */
public final class ResultsTable {
    private ResultsTable() {}

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        Map<String, List<String[]>> byScenario = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            byScenario.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<String[]>> e : byScenario.entrySet()) {
            Map<String, Double> noopCpu = new LinkedHashMap<>();
            for (String[] f : e.getValue()) {
                if (f[1].endsWith("-noop")) {
                    noopCpu.put(f[1].substring(0, f[1].length() - "-noop".length()), d(f[6]) + d(f[7]));
                }
            }
            out.append("\n#### ").append(e.getKey()).append("\n\n");
            out.append("| client | run | files | MB | wall s | files/s | MB/s | client CPU s | CPU ms/file"
                    + " | CPU ms/file net of start | peak RSS MB | S3Proxy CPU s | S3Proxy ops | load | note |\n");
            out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|\n");
            for (String[] f : e.getValue()) {
                double files = d(f[3]);
                double mb = d(f[4]) / 1e6;
                // The ceiling loop's own clock excludes its JVM start.
                double wall = wall(f);
                String note = f.length > 11 ? f[11] : "";
                double cpu = d(f[6]) + d(f[7]);
                String perFile = files > 0 ? fmt(1000 * cpu / files) : "";
                String net = files > 0 && noopCpu.containsKey(f[1])
                        ? fmt(1000 * (cpu - noopCpu.get(f[1])) / files) : "";
                out.append("| ").append(f[1]).append(" | ").append(f[2]).append(" | ").append((long) files)
                        .append(" | ").append(fmt(mb)).append(" | ").append(fmt(wall)).append(" | ")
                        .append(files > 0 ? fmt(files / wall) : "").append(" | ")
                        .append(mb > 0 ? fmt(mb / wall) : "").append(" | ").append(fmt(cpu)).append(" | ")
                        .append(perFile).append(" | ").append(net).append(" | ").append(fmt(d(f[8]) / 1024))
                        .append(" | ").append(f[9]).append(" | ").append(f[10].replace(",", ", ")).append(" | ")
                        .append(f.length > 12 ? f[12] : "").append(" | ").append(note).append(" |\n");
            }
            medians(e.getValue(), out);
        }
        System.out.print(out);
    }

    /**
     * One line per client over its alternating rounds (bench/run.sh runs each client BENCH_ROUNDS times, in turn, on
     * one server): the median of each column, so that a load spike during one run moves no figure much.
     */
    private static void medians(List<String[]> rows, StringBuilder out) {
        Map<String, List<String[]>> byTool = new LinkedHashMap<>();
        for (String[] f : rows) {
            if (!f[1].endsWith("-noop") && d(f[3]) > 0) {
                byTool.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f);
            }
        }
        if (byTool.values().stream().allMatch(l -> l.size() < 2)) {
            return;
        }
        out.append("\nMedians over the rounds:\n\n| client | runs | files/s | wall s | client CPU s | CPU ms/file"
                + " | server CPU s | server requests/file |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, List<String[]>> t : byTool.entrySet()) {
            List<String[]> r = t.getValue();
            out.append("| ").append(t.getKey()).append(" | ").append(r.size()).append(" | ")
                    .append(fmt(median(r, f -> d(f[3]) / wall(f)))).append(" | ")
                    .append(fmt(median(r, ResultsTable::wall))).append(" | ")
                    .append(fmt(median(r, f -> d(f[6]) + d(f[7])))).append(" | ")
                    .append(fmt(median(r, f -> 1000 * (d(f[6]) + d(f[7])) / d(f[3])))).append(" | ")
                    .append(fmt(median(r, f -> d(f[9])))).append(" | ")
                    .append(String.format(Locale.ROOT, "%.3f", median(r, f -> requests(f[10]) / d(f[3]))))
                    .append(" |\n");
        }
    }

    private static double wall(String[] f) {
        String note = f.length > 11 ? f[11] : "";
        return f[1].equals("ceiling") && note.contains("loop_seconds=")
                ? d(note.replaceAll(".*loop_seconds=([0-9.]+).*", "$1")) : d(f[5]);
    }

    /** Requests the server saw: RGW's own request counter, or the sum of S3Proxy's storage operations. */
    private static double requests(String counts) {
        double sum = 0;
        for (String kv : counts.split(",")) {
            String[] p = kv.split("=");
            if (p.length == 2 && kv.startsWith("rgw_req=")) {
                return d(p[1]);
            }
            if (p.length == 2 && !kv.startsWith("rgw_")) {
                sum += d(p[1]);
            }
        }
        return sum;
    }

    private static double median(List<String[]> rows, ToDoubleFunction<String[]> column) {
        double[] v = rows.stream().mapToDouble(column).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double d(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }
}
