package org.mediaoffload.pipeline;

/**
 * What makes a local file the one a run looked at: its inode (device + inode number), size, mtime and ctime, all
 * from one {@code lstat}, and the top-level directory of the store it was reached through. A file rewritten in
 * place keeps device and inode but gets a new ctime, which no one can set back (unlike the mtime), so an equal
 * identity means the same bytes as far as the filesystem can tell.
 *
 * <p>The store root and its top-level directories are opened by path, following symlinks (admins move them to other
 * disks). Were one re-pointed during a run at a hard-link snapshot of the store ({@code cp -al}, rsnapshot), the
 * snapshot's names would show the very inodes the scan saw; the top-level directory in the identity makes them other
 * files, so they are neither read nor unlinked.
 *
 * @param mtimeNs        modification time, nanoseconds since the epoch
 * @param ctimeNs        status change time, nanoseconds since the epoch
 * @param storeDirectory the file key of the top-level directory the file was reached through (opaque), or empty
 */
public record FileIdentity(long device, long inode, long size, long mtimeNs, long ctimeNs, String storeDirectory) {

    public FileIdentity {
        java.util.Objects.requireNonNull(storeDirectory, "storeDirectory is null");
    }

    /** A file's own identity, with no top-level directory (files not reached through the store's tree). */
    public FileIdentity(long device, long inode, long size, long mtimeNs, long ctimeNs) {
        this(device, inode, size, mtimeNs, ctimeNs, "");
    }

    /** The same file reached through the same top-level directory, except for that directory. */
    public boolean sameFileElsewhere(FileIdentity other) {
        return !storeDirectory.equals(other.storeDirectory)
                && new FileIdentity(device, inode, size, mtimeNs, ctimeNs, other.storeDirectory).equals(other);
    }

    @Override
    public String toString() {
        return "dev " + device + " inode " + inode + " size " + size + " mtime " + mtimeNs + " ctime " + ctimeNs
                + (storeDirectory.isEmpty() ? "" : " via " + storeDirectory);
    }
}
