package org.mediaoffload.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.mediaoffload.pipeline.ObjectStore.ChecksumAlgorithm;
import org.mediaoffload.pipeline.ObjectStore.LocalDigest;
import org.mediaoffload.pipeline.SynapseHash;
import org.mediaoffload.pipeline.UploadFile;

/**
 * A local file's MD5 and one full-object checksum in one pass, read through {@link UploadSource} like an upload, so
 * what proves an existing object is read exactly the way an upload would have read it (and a file that changes
 * while being read is reported, not hashed). The same read checks the bytes against Synapse's sha256 where the file
 * carries one ({@link SynapseHash}): a proof of an object is worth nothing for local bytes Synapse did not store.
 */
final class LocalDigests {
    private static final int BUFFER = 64 * 1024;

    private LocalDigests() {}

    static LocalDigest of(UploadFile source, Optional<ChecksumAlgorithm> also) {
        UploadSource file = new UploadSource(source);
        long size = source.size();
        MessageDigest md5 = Md5.newDigest();
        Optional<Hasher> other = also.map(LocalDigests::hasher);
        SynapseHash synapse = SynapseHash.of(source);
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        try (InputStream in = file.open()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                md5.update(buffer, 0, n);
                int read = n;
                other.ifPresent(h -> h.update(buffer, read));
                synapse.update(buffer, 0, n);
                total += n;
                if (total > size) {
                    break;
                }
            }
        } catch (IOException e) {
            throw file.readFailed(e);
        }
        file.checkLength(total);
        // The bytes hashed are the scanned file's only if it is still that file (inode, size, mtime, ctime).
        file.throwIfChanged();
        synapse.check();
        return new LocalDigest(Md5.hex(md5.digest()), other.map(Hasher::base64));
    }

    private interface Hasher {
        void update(byte[] b, int len);

        String base64();
    }

    private static Hasher hasher(ChecksumAlgorithm algorithm) {
        return switch (algorithm) {
            case CRC64NVME -> crc(new Crc64Nvme(), 8);
            case CRC32 -> crc(new CRC32(), 4);
            case CRC32C -> crc(new CRC32C(), 4);
            case SHA256 -> sha256();
        };
    }

    /** S3 sends a CRC as the base64 of its big-endian bytes (4 for the CRC32s, 8 for CRC64NVME). */
    private static Hasher crc(Checksum checksum, int bytes) {
        return new Hasher() {
            @Override
            public void update(byte[] b, int len) {
                checksum.update(b, 0, len);
            }

            @Override
            public String base64() {
                ByteBuffer value = ByteBuffer.allocate(8).putLong(checksum.getValue());
                byte[] out = new byte[bytes];
                System.arraycopy(value.array(), 8 - bytes, out, 0, bytes);
                return Base64.getEncoder().encodeToString(out);
            }
        };
    }

    private static Hasher sha256() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
        return new Hasher() {
            @Override
            public void update(byte[] b, int len) {
                digest.update(b, 0, len);
            }

            @Override
            public String base64() {
                return Base64.getEncoder().encodeToString(digest.digest());
            }
        };
    }
}
