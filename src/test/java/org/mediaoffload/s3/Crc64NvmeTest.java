package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Crc64NvmeTest {
    @Test
    void matchesTheCatalogueCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(check, 0, check.length);
        assertThat(crc.getValue()).isEqualTo(0xae8b14860a799888L);
    }

    @Test
    void bytewiseAndBlockUpdatesAgreeAndResetStartsOver() {
        byte[] data = "synapse-media-offload".getBytes(StandardCharsets.US_ASCII);
        Crc64Nvme block = new Crc64Nvme();
        block.update(data, 0, data.length);
        Crc64Nvme bytewise = new Crc64Nvme();
        for (byte b : data) {
            bytewise.update(b);
        }
        assertThat(bytewise.getValue()).isEqualTo(block.getValue());
        block.reset();
        assertThat(block.getValue()).as("empty input").isZero();
    }
}
