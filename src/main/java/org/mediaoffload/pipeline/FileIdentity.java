package org.mediaoffload.pipeline;

/**
 * What makes a local file the one a run looked at: its inode (device + inode number), size, mtime and ctime, all
 * from one {@code lstat}. A file rewritten in place keeps device and inode but gets a new ctime, which no one can
 * set back (unlike the mtime), so an equal identity means the same bytes as far as the filesystem can tell.
 *
 * @param mtimeNs modification time, nanoseconds since the epoch
 * @param ctimeNs status change time, nanoseconds since the epoch
 */
public record FileIdentity(long device, long inode, long size, long mtimeNs, long ctimeNs) {

    @Override
    public String toString() {
        return "dev " + device + " inode " + inode + " size " + size + " mtime " + mtimeNs + " ctime " + ctimeNs;
    }
}
