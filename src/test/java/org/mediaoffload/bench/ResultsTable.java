package org.mediaoffload.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
                double wall = d(f[5]);
                String note = f.length > 11 ? f[11] : "";
                // The ceiling loop's own clock excludes its JVM start.
                if (f[1].equals("ceiling") && note.contains("loop_seconds=")) {
                    wall = d(note.replaceAll(".*loop_seconds=([0-9.]+).*", "$1"));
                }
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
        }
        System.out.print(out);
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
