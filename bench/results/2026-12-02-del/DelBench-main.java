import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.file.*;
import java.util.*;
import org.mediaoffload.pipeline.*;
import org.mediaoffload.store.SynapseMediaStore;

/** Generates a small-profile-like store, lists every media's files, then deletes them as the deletion stage does. */
public class DelBench {
    public static void main(String[] a) throws Exception {
        Thread t = new Thread(() -> { try { run(a); } catch (Exception e) { throw new RuntimeException(e); } }, "del-bench");
        t.start();
        t.join();
    }

    static void run(String[] a) throws Exception {
        Path root = Path.of(a[0]);
        int media = Integer.parseInt(a[1]);
        boolean perMedia = a.length > 2 && a[2].equals("list");
        Random r = new Random(20261202L);
        List<MediaRow> rows = new ArrayList<>();
        for (String top : new String[] {"local_content", "local_thumbnails", "remote_content", "remote_thumbnail"}) {
            Files.createDirectories(root.resolve(top));
        }
        byte[] buf = new byte[1 << 20];
        r.nextBytes(buf);
        int files = 0;
        for (int i = 0; i < media; i++) {
            StringBuilder id = new StringBuilder();
            for (int k = 0; k < 24; k++) id.append((char) ('a' + r.nextInt(26)));
            String s = id.toString();
            boolean local = r.nextInt(10) < 8;
            String origin = "origin" + r.nextInt(50) + ".example";
            String split = s.substring(0, 2) + "/" + s.substring(2, 4) + "/" + s.substring(4);
            String orig = local ? "local_content/" + split : "remote_content/" + origin + "/" + split;
            String thumbs = local ? "local_thumbnails/" + split : "remote_thumbnail/" + origin + "/" + split;
            write(root.resolve(orig), buf, (int) logUniform(r, 5_000, 200_000));
            files++;
            int n = r.nextInt(4);
            for (int t = 0; t < n; t++) {
                write(root.resolve(thumbs).resolve((32 << t) + "-" + (32 << t) + "-image-jpeg-scale"), buf,
                        (int) logUniform(r, 2_000, 40_000));
                files++;
            }
            rows.add(new MediaRow(local ? MediaKind.LOCAL : MediaKind.REMOTE, local ? "" : origin, s,
                    local ? s : s, OptionalLong.empty(), 0L, false));
        }
        SynapseMediaStore store = new SynapseMediaStore(root);
        List<List<LocalFile>> listed = new ArrayList<>();
        for (MediaRow row : rows) {
            listed.add(((LocalStore.MediaFiles.Found) store.filesOf(row)).files());
        }
        Method many = null;
        for (Method m : SynapseMediaStore.class.getMethods()) {
            if (m.getName().equals("deleteAll")) many = m;
        }
        System.out.println("media=" + media + " files=" + files + " api=" + (many == null ? "delete(file)" : "deleteAll"));
        System.out.flush();
        Path go = root.resolveSibling(root.getFileName() + ".go");
        while (!Files.exists(go)) Thread.sleep(100); // lets strace attach to this thread first
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime(), user0 = mx.getCurrentThreadUserTime(), t0 = System.nanoTime();
        int deleted = 0;
        for (List<LocalFile> fs : listed) {
            if (many != null) {
                Object out = many.invoke(store, fs);
                for (Object o : (List<?>) out) if (o == LocalStore.DeleteOutcome.DELETED) deleted++;
            } else {
                for (LocalFile f : fs) {
                    if (store.delete(f) == LocalStore.DeleteOutcome.DELETED) deleted++;
                }
            }
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0, user = mx.getCurrentThreadUserTime() - user0;
        System.out.printf("deleted=%d cpu_ms=%.1f user_ms=%.1f sys_ms=%.1f us_per_file=%.1f wall_ms=%.1f tid_done%n",
                deleted, cpu / 1e6, user / 1e6, (cpu - user) / 1e6, cpu / 1e3 / files, (System.nanoTime() - t0) / 1e6);
    }

    static double logUniform(Random r, double lo, double hi) {
        return Math.exp(Math.log(lo) + r.nextDouble() * (Math.log(hi) - Math.log(lo)));
    }

    static void write(Path p, byte[] buf, int size) throws Exception {
        Files.createDirectories(p.getParent());
        Files.write(p, Arrays.copyOf(buf, size));
    }
}
