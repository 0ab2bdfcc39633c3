import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * One line per event of a JFR recording, tab-separated, for auditprof-timeline.py:
 * type, start (ns since the epoch), duration (ns), thread, detail, stack (the top frame, then every
 * org.mediaoffload frame and a few marker frames, innermost first, "Class.method:line" joined by ";").
 * Usage: java JfrFlat.java recording.jfr > events.tsv
 */
public class JfrFlat {
    private static final Set<String> TYPES = Set.of("jdk.ExecutionSample", "jdk.NativeMethodSample", "jdk.ThreadPark",
            "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.SocketRead", "jdk.SocketWrite", "jdk.FileRead",
            "jdk.FileWrite", "jdk.ThreadCPULoad", "jdk.GarbageCollection", "jdk.ThreadStart", "jdk.ThreadEnd",
            "jdk.CPULoad", "jdk.SafepointBegin");

    public static void main(String[] args) throws Exception {
        StringBuilder sb = new StringBuilder(1 << 16);
        try (RecordingFile f = new RecordingFile(Path.of(args[0]))) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                String type = e.getEventType().getName();
                if (!TYPES.contains(type)) {
                    continue;
                }
                Instant s = e.getStartTime();
                long start = s.getEpochSecond() * 1_000_000_000L + s.getNano();
                long dur = e.getDuration().toNanos();
                RecordedThread t = type.endsWith("Sample") ? e.getThread("sampledThread")
                        : e.hasField("eventThread") ? e.getThread("eventThread") : null;
                if (type.equals("jdk.ThreadCPULoad") || type.equals("jdk.ThreadStart") || type.equals("jdk.ThreadEnd")) {
                    t = e.hasField("thread") && e.getValue("thread") != null ? e.getThread("thread") : t;
                }
                String thread = t == null ? "-" : (t.getJavaName() != null ? t.getJavaName() : t.getOSName());
                String detail = switch (type) {
                    case "jdk.SocketRead", "jdk.SocketWrite" -> e.getString("host") + ":" + e.getInt("port") + " "
                            + (type.equals("jdk.SocketRead") ? e.getLong("bytesRead") : e.getLong("bytesWritten"));
                    case "jdk.FileRead", "jdk.FileWrite" -> e.getString("path") + " "
                            + (type.equals("jdk.FileRead") ? e.getLong("bytesRead") : e.getLong("bytesWritten"));
                    case "jdk.ThreadPark" -> String.valueOf(e.getClass("parkedClass") == null ? "-"
                            : e.getClass("parkedClass").getName());
                    case "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait" -> e.getClass("monitorClass").getName();
                    case "jdk.ThreadCPULoad" -> e.getFloat("user") + " " + e.getFloat("system");
                    case "jdk.CPULoad" -> e.getFloat("jvmUser") + " " + e.getFloat("jvmSystem") + " "
                            + e.getFloat("machineTotal");
                    case "jdk.GarbageCollection" -> e.getString("name") + " " + e.getString("cause");
                    case "jdk.Compilation" -> String.valueOf(e.getValue("compiler")) + " "
                            + ((jdk.jfr.consumer.RecordedMethod) e.getValue("method")).getType().getName() + "."
                            + ((jdk.jfr.consumer.RecordedMethod) e.getValue("method")).getName();
                    case "jdk.NativeMethodSample" -> e.getString("state");
                    case "jdk.ExecutionSample" -> e.getString("state");
                    default -> "-";
                };
                sb.append(type.substring(4)).append('\t').append(start).append('\t').append(dur).append('\t')
                        .append(thread).append('\t').append(detail).append('\t').append(stack(e.getStackTrace()))
                        .append('\n');
                if (sb.length() > 1 << 15) {
                    System.out.print(sb);
                    sb.setLength(0);
                }
            }
        }
        System.out.print(sb);
    }

    private static final String[] MARKERS = {"java.util.concurrent.Semaphore", "java.util.concurrent.FutureTask.get",
            "java.util.concurrent.AbstractExecutorService.invokeAll", "java.util.concurrent.ThreadPoolExecutor.getTask",
            "org.postgresql.core.v3.QueryExecutorImpl.execute", "software.amazon.awssdk", "org.sqlite",
            "java.util.concurrent.LinkedBlockingQueue.take", "java.lang.Object.wait", "java.util.TimSort",
            "sun.security.ssl", "org.apache.http", "java.io.DataOutputStream", "java.io.DataInputStream"};

    private static String stack(RecordedStackTrace st) {
        if (st == null) {
            return "-";
        }
        List<String> out = new ArrayList<>();
        List<RecordedFrame> frames = st.getFrames();
        String lastMarker = null;
        for (int i = 0; i < frames.size(); i++) {
            RecordedFrame fr = frames.get(i);
            if (!fr.isJavaFrame()) {
                continue;
            }
            String cls = fr.getMethod().getType().getName();
            String m = cls.substring(cls.lastIndexOf('.') + 1) + "." + fr.getMethod().getName() + ":" + fr.getLineNumber();
            String full = cls + "." + fr.getMethod().getName();
            boolean keep = i == 0 || cls.startsWith("org.mediaoffload");
            if (!keep) {
                for (String mk : MARKERS) {
                    if (full.startsWith(mk) && !mk.equals(lastMarker)) {
                        keep = true;
                        lastMarker = mk;
                        break;
                    }
                }
            }
            if (keep) {
                out.add(i == 0 ? cls + "." + fr.getMethod().getName() + ":" + fr.getLineNumber() : m);
            }
        }
        return (st.isTruncated() ? "T;" : "") + String.join(";", out);
    }
}
