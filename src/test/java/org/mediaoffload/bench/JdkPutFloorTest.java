package org.mediaoffload.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The floor's SigV4 arithmetic against AWS's published example, and its key encoding. No server. */
class JdkPutFloorTest {
    /**
     * The GET Object example of AWS's "Signature Calculations for the Authorization Header" (S3, us-east-1,
     * 2013-05-24), with AWS's example keys: the published signature.
     */
    @Test
    void signsAwsExampleRequest() throws Exception {
        String canonical = "GET\n/test.txt\n\n"
                + "host:examplebucket.s3.amazonaws.com\n"
                + "range:bytes=0-9\n"
                + "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                + "x-amz-date:20130524T000000Z\n\n"
                + "host;range;x-amz-content-sha256;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        String auth = JdkPutFloor.authorizationFor("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAIOSFODNN7EXAMPLE",
                canonical, "20130524T000000Z");
        assertThat(auth).startsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,")
                .endsWith(", Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    @Test
    void encodesKeysAsCanonicalPaths() {
        assertThat(JdkPutFloor.encodePath("local_content/ab/cd/EfGh-1.2~x")).isEqualTo("local_content/ab/cd/EfGh-1.2~x");
        assertThat(JdkPutFloor.encodePath("a b/ü+")).isEqualTo("a%20b/%C3%BC%2B");
    }
}
