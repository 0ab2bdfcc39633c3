package org.mediaoffload.journal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mediaoffload.pipeline.StateDirChangedException;
import org.mediaoffload.host.FileOwnership;

/**
 * An exclusive OS lock on {@code state-dir/lock}, held for the life of the process, so that a {@code run-once}
 * cannot run beside the daemon on the same state. The OS drops the lock when the holder dies (even kill -9),
 * so a stale lock file never blocks a restart; the file itself is never deleted (deleting it would let two
 * processes lock two different inodes).
 */
public final class StateDirLock implements AutoCloseable {

    public static final String FILE_NAME = "lock";

    /*
     * Locks held by this JVM, by real lock-file path. POSIX locks belong to the process, and closing ANY channel
     * on the file releases them, so this JVM must never open (and close) a second channel on a file it has
     * locked: we answer from this map instead.
     */
    private static final Map<Path, LockHolder> HELD = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;
    private final FileIdentity identity;
    private final LockHolder holder;

    private StateDirLock(Path lockFile, FileChannel channel, FileLock lock, FileIdentity identity,
            LockHolder holder) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
        this.identity = identity;
        this.holder = holder;
    }

    /**
     * @param command what this process is, for the other one's error message ("daemon", "run-once")
     * @throws StateLockedException when another process or another part of this JVM holds the lock
     */
    public static StateDirLock acquire(Path stateDir, String command) {
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(command, "command is null");
        Path lockFile;
        try {
            Files.createDirectories(stateDir);
            lockFile = stateDir.toRealPath().resolve(FILE_NAME);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state directory " + stateDir
                    + " (offload.state-dir): " + e, e);
        }
        LockHolder me = new LockHolder(ProcessHandle.current().pid(), command,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), hostName());
        LockHolder other = HELD.putIfAbsent(lockFile, me);
        if (other != null) {
            throw locked(stateDir, other.describe());
        }
        try {
            return lock(stateDir, lockFile, me);
        } catch (RuntimeException e) {
            HELD.remove(lockFile, me);
            throw e;
        }
    }

    private static StateDirLock lock(Path stateDir, Path lockFile, LockHolder me) {
        FileChannel channel = null;
        try {
            try {
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (AccessDeniedException e) {
                throw new JournalException(FileOwnership.cannotWrite("lock file", lockFile, stateDir), e);
            }
            FileOwnership.giveToDirectoryOwner(lockFile.getParent(), lockFile);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // Same JVM through a path our map did not match; the channel must stay open (see HELD).
                throw locked(stateDir, "held by this process (pid " + me.pid() + ")");
            }
            if (lock == null) {
                String holder = LockHolder.describe(readAll(channel));
                channel.close();
                throw locked(stateDir, holder);
            }
            // Only now may we overwrite the details: before locking they belong to the holder.
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.toFileText().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            // The file we locked must still be at the path: it may have been deleted between our open and our
            // lock, and we would hold a lock nobody else can see. Only a stat, never a second open: closing any
            // other channel on this file would release our POSIX lock (see HELD). Java offers no fstat on a
            // channel, so a replacement within that instant is not seen (a narrow race, left as a known limit).
            FileIdentity identity = FileIdentity.of(lockFile).orElse(null);
            if (identity == null) {
                closeQuietly(channel);
                throw locked(stateDir, "its lock file was deleted while we were taking it");
            }
            return new StateDirLock(lockFile, channel, lock, identity, me);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + lockFile + ": " + e, e);
        }
    }

    private static StateLockedException locked(Path stateDir, String holder) {
        return new StateLockedException("state directory " + stateDir + " is in use by another synapse-media-offload"
                + " process (" + holder + "). Only one process may use a state directory at a time: stop the"
                + " other process first (or wait for its run-once to finish), then try again. A running daemon"
                + " needs no stop for a run or an audit: ask it through its admin API with the admin token"
                + " (POST /api/v1/runs, POST /api/v1/audits).");
    }

    private static byte[] readAll(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // read until full or end of file
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    public Path lockFile() {
        return lockFile;
    }

    /** Identity of the lock file we hold, for the journal's holder record. */
    FileIdentity identity() {
        return identity;
    }

    LockHolder holder() {
        return holder;
    }

    /**
     * Fails when the lock file is no longer the file we locked (deleted, or replaced): a new process would then
     * create and lock a new file and believe itself alone. Called before each run and each journal access.
     */
    public void verify() {
        String change = identity.changeAt(lockFile);
        if (change != null) {
            throw new StateDirChangedException("State directory " + lockFile.getParent() + ": its lock file "
                    + lockFile + " " + change + " while this process (pid " + holder.pid() + ", " + holder.command()
                    + ") held it, so another synapse-media-offload may now use the same directory. This process"
                    + " starts no more runs and writes nothing more there. Stop every synapse-media-offload on this"
                    + " state directory, then start the one you want (never delete the lock file: it is how they"
                    + " keep out of each other's way).");
        }
    }

    /** Releases the lock; the file stays. Idempotent. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases the lock anyway.
        } finally {
            closeQuietly(channel);
            HELD.remove(lockFile);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
