package org.mediaoffload.host;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * Who owns a file and who we run as, in words an operator can act on. On a playbook host the inputs are
 * {@code 0640 root} and the service runs as {@code matrix}, so "permission denied" is the usual first-day error;
 * these facts turn it into the fix.
 */
public final class FileOwnership {
    private static final Path SELF = Path.of("/proc/self");

    private FileOwnership() {}

    /** {@code matrix (uid 991)}: the user this process runs as. */
    public static String processUser() {
        String name = processUserName();
        return selfUid().map(u -> name + " (uid " + u + ")").orElse(name);
    }

    /** The bare user name this process runs as, for commands such as {@code chgrp}. */
    public static String processUserName() {
        return self().map(a -> a.owner().getName()).orElse(System.getProperty("user.name", "?"));
    }

    public static boolean runningAsRoot() {
        return selfUid().map(uid -> uid == 0).orElse(false);
    }

    /* /proc/self is owned by the process's effective uid and gid (a link: followed, unlike files we examine). */
    private static Optional<PosixFileAttributes> self() {
        try {
            return Optional.of(Files.readAttributes(SELF, PosixFileAttributes.class));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> selfUid() {
        try {
            return Optional.of((Integer) Files.getAttribute(SELF, "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code owned by root:root, mode 0640}, or for a file we cannot even stat, the directory on its way that we
     * cannot enter ({@code in /matrix/x, owned by root:matrix, mode 0750}).
     */
    public static String describe(Path file) {
        Optional<PosixFileAttributes> own = attributes(file);
        if (own.isPresent()) {
            return "owned by " + ownerAndGroup(own.get()) + ", mode " + mode(own.get());
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && Files.isExecutable(parent) && !Files.exists(file, NOFOLLOW_LINKS)) {
            Optional<PosixFileAttributes> dir = attributes(parent);
            if (dir.isPresent()) {
                return "not there yet, and its directory " + parent + " is owned by " + ownerAndGroup(dir.get())
                        + ", mode " + mode(dir.get());
            }
        }
        for (Path dir = parent; dir != null; dir = dir.getParent()) {
            Optional<PosixFileAttributes> ancestor = attributes(dir);
            if (ancestor.isPresent() && !Files.isExecutable(dir)) {
                return "in the directory " + dir + " that we cannot enter (owned by " + ownerAndGroup(ancestor.get())
                        + ", mode " + mode(ancestor.get()) + ")";
            }
        }
        return "of unknown owner and mode (it cannot be examined)";
    }

    /**
     * Why an input file cannot be read, and the three ways out: run as root, let our group read it, or have
     * systemd pass it as a credential. Names no Java exception.
     *
     * @param name what the file is, e.g. {@code env file /matrix/.../env (--env-file)}
     */
    public static String cannotRead(String name, Path file) {
        return name + " cannot be read: it is " + describe(file) + ", and synapse-media-offload runs as "
                + processUser() + ". Either run this command as root (e.g. sudo java -jar ... check-config), let "
                + processUserName() + "'s group read it (chgrp " + processGroupName() + " " + file + " && chmod g+r " + file
                + "; a playbook run may reset this), or have systemd hand it to the service with LoadCredential="
                + " (see deploy/playbook-host.override.conf) and pass ${CREDENTIALS_DIRECTORY}/<name> instead.";
    }

    /**
     * The message for an input that failed to read: the ownership explanation when access was denied, the
     * operating system's reason otherwise (never a Java exception name).
     */
    public static String cannotRead(String name, Path file, IOException e) {
        if (e instanceof AccessDeniedException) {
            return cannotRead(name, file);
        }
        return name + " cannot be read: " + reason(e);
    }

    /** The operating system's words for a failed file operation ("Is a directory"), without the Java class. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? "input/output error" : e.getMessage();
    }

    /**
     * Why a state file cannot be written: typically left owned by root by a {@code check-config} or {@code run-once}
     * run as root. Says whose it is and the {@code chown} that gives the directory back to the service user.
     */
    public static String cannotWrite(String name, Path file, Path stateDir) {
        String me = processUserName() + ":" + processGroupName();
        // As root the service user is the directory's owner; otherwise it is us.
        String chownTo = runningAsRoot() ? attributes(stateDir).map(FileOwnership::ownerAndGroup).orElse(me) : me;
        return name + " " + file + " cannot be written: it is " + describe(file) + ", and synapse-media-offload runs"
                + " as " + processUser() + " (an earlier run as root may have created it). Give the state directory"
                + " back to the service user: chown -R " + chownTo + " " + stateDir + " (offload.state-dir), or run as"
                + " the file's owner.";
    }

    /**
     * When we run as root in a directory owned by someone else (check-config as root in the service's state
     * directory), hands the files we created back to the directory's owner, so that the service can still write
     * them. Does nothing otherwise; a file that is not ours or a link is left alone.
     */
    public static void giveToDirectoryOwner(Path dir, Path... files) {
        if (!runningAsRoot()) {
            return;
        }
        Optional<Integer> dirUid = intAttribute(dir, "unix:uid");
        Optional<Integer> dirGid = intAttribute(dir, "unix:gid");
        if (dirUid.isEmpty() || dirGid.isEmpty() || dirUid.get() == 0) {
            return;
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file, NOFOLLOW_LINKS) || intAttribute(file, "unix:uid").orElse(-1) != 0) {
                continue;
            }
            try {
                Files.setAttribute(file, "unix:uid", dirUid.get(), NOFOLLOW_LINKS);
                Files.setAttribute(file, "unix:gid", dirGid.get(), NOFOLLOW_LINKS);
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                // The service's own start then explains the ownership; nothing is lost by not chowning here.
            }
        }
    }

    private static String processGroupName() {
        return self().map(a -> a.group().getName()).orElse(processUserName());
    }

    private static String ownerAndGroup(PosixFileAttributes a) {
        return a.owner().getName() + ":" + a.group().getName();
    }

    private static String mode(PosixFileAttributes a) {
        Set<PosixFilePermission> p = a.permissions();
        int mode = 0;
        for (PosixFilePermission permission : p) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return String.format("%04o", mode);
    }

    private static Optional<PosixFileAttributes> attributes(Path file) {
        try {
            return Optional.of(Files.readAttributes(file, PosixFileAttributes.class, NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> intAttribute(Path file, String attribute) {
        try {
            return Optional.of((Integer) Files.getAttribute(file, attribute, NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }
}
