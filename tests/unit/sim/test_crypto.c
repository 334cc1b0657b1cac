/* test_crypto.c - sim/crypto.c against the published test vectors:
 * RFC 1320 §A.5 (MD4), RFC 1321 §A.5 (MD5), RFC 2202 §2 (HMAC-MD5),
 * FIPS 180-4 examples / RFC 6234 (SHA-256), RFC 4231 (HMAC-SHA256). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/crypto.h"

static void to_hex(char *out, const uint8_t *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* Fills out with n bytes of value v (for the RFC 2202/4231 keys). */
static uint8_t *repeat(uint8_t *out, uint8_t v, size_t n)
{
	memset(out, v, n);
	return out;
}

static const struct {
	const char *in, *md4, *md5;
} md_cases[] = {
	{ "", "31d6cfe0d16ae931b73c59d7e0c089c0", "d41d8cd98f00b204e9800998ecf8427e" },
	{ "a", "bde52cb31de33e46245e05fbdbd6fb24", "0cc175b9c0f1b6a831c399e269772661" },
	{ "abc", "a448017aaf21d8525fc10ae87aa6729d", "900150983cd24fb0d6963f7d28e17f72" },
	{ "message digest", "d9130a8164549fe818874806e1c7014b", "f96b697d7cb7938d525a2f31aaf161d0" },
	{ "abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9", "c3fcd3d76192e4007dfb496cca67e13b" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	  "043f8582f241db351ce627e153e7f0e4", "d174ab98d277d9f5a5611c2c9f419d9f" },
	{ "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
	  "e33b4ddc9c38f2199c3e7b164fcc0536", "57edf4a22be3c955ac49da2e2107b67a" },
};

static void test_md4_md5_vectors(void **state)
{
	uint8_t d[16];
	char hex[33];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(md_cases) / sizeof(md_cases[0]); i++) {
		sim_md4(d, md_cases[i].in, strlen(md_cases[i].in));
		to_hex(hex, d, 16);
		assert_string_equal(hex, md_cases[i].md4);
		sim_md5(d, md_cases[i].in, strlen(md_cases[i].in));
		to_hex(hex, d, 16);
		assert_string_equal(hex, md_cases[i].md5);
	}
}

static void test_sha256_vectors(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	uint8_t d[32];
	char hex[65];
	size_t i;
	char *million;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sim_sha256(d, cases[i].in, strlen(cases[i].in));
		to_hex(hex, d, 32);
		assert_string_equal(hex, cases[i].want);
	}
	/* FIPS 180-4 long message: one million 'a'. */
	million = malloc(1000000);
	assert_non_null(million);
	memset(million, 'a', 1000000);
	sim_sha256(d, million, 1000000);
	free(million);
	to_hex(hex, d, 32);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Feeding the data in uneven pieces must give the one-shot digest: this
 * walks the block buffer across every boundary case. */
static void test_incremental_matches_oneshot(void **state)
{
	static const size_t steps[] = { 1, 3, 55, 56, 63, 64, 65, 127 };
	uint8_t data[300], a[32], b[32];
	size_t i, s, off;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
		sim_md5_ctx m;
		sim_sha256_ctx h;

		sim_md5_init(&m);
		sim_sha256_init(&h);
		for (off = 0; off < sizeof(data); off += steps[s]) {
			size_t n = sizeof(data) - off < steps[s] ? sizeof(data) - off : steps[s];

			sim_md5_update(&m, data + off, n);
			sim_sha256_update(&h, data + off, n);
		}
		sim_md5_final(a, &m);
		sim_md5(b, data, sizeof(data));
		assert_memory_equal(a, b, 16);
		sim_sha256_final(a, &h);
		sim_sha256(b, data, sizeof(data));
		assert_memory_equal(a, b, 32);
	}
}

static void test_hmac_md5_rfc2202(void **state)
{
	uint8_t key[80], data[80], mac[16];
	char hex[33];
	size_t i;

	(void)state;
	sim_hmac_md5(mac, repeat(key, 0x0b, 16), 16, "Hi There", 8);
	to_hex(hex, mac, 16);
	assert_string_equal(hex, "9294727a3638bb1c13f48ef8158bfc9d");

	sim_hmac_md5(mac, "Jefe", 4, "what do ya want for nothing?", 28);
	to_hex(hex, mac, 16);
	assert_string_equal(hex, "750c783e6ab0b503eaa86e310a5db738");

	sim_hmac_md5(mac, repeat(key, 0xaa, 16), 16, repeat(data, 0xdd, 50), 50);
	to_hex(hex, mac, 16);
	assert_string_equal(hex, "56be34521d144c88dbb8c733f0e8b3f6");

	for (i = 0; i < 25; i++)
		key[i] = (uint8_t)(i + 1);
	sim_hmac_md5(mac, key, 25, repeat(data, 0xcd, 50), 50);
	to_hex(hex, mac, 16);
	assert_string_equal(hex, "697eaf0aca3a3aea3a75164746ffaa79");

	sim_hmac_md5(mac, repeat(key, 0x0c, 16), 16, "Test With Truncation", 20);
	to_hex(hex, mac, 16);
	assert_string_equal(hex, "56461ef2342edc00f9bab995690efd4c");

	/* Keys longer than the 64-byte block are hashed first. */
	sim_hmac_md5(mac, repeat(key, 0xaa, 80), 80,
		     "Test Using Larger Than Block-Size Key - Hash Key First", 54);
	to_hex(hex, mac, 16);
	assert_string_equal(hex, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd");

	sim_hmac_md5(mac, repeat(key, 0xaa, 80), 80,
		     "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data", 73);
	to_hex(hex, mac, 16);
	assert_string_equal(hex, "6f630fad67cda0ee1fb1f562db3aa53e");
}

static void test_hmac_sha256_rfc4231(void **state)
{
	uint8_t key[131], mac[32];
	char hex[65];

	(void)state;
	sim_hmac_sha256(mac, repeat(key, 0x0b, 20), 20, "Hi There", 8);
	to_hex(hex, mac, 32);
	assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");

	sim_hmac_sha256(mac, "Jefe", 4, "what do ya want for nothing?", 28);
	to_hex(hex, mac, 32);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

	sim_hmac_sha256(mac, repeat(key, 0xaa, 131), 131,
			"Test Using Larger Than Block-Size Key - Hash Key First", 54);
	to_hex(hex, mac, 32);
	assert_string_equal(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void test_ct_compare(void **state)
{
	(void)state;
	assert_int_equal(sim_ct_equal("abcd", "abcd", 4), 1);
	assert_int_equal(sim_ct_equal("abcd", "abce", 4), 0);
	assert_int_equal(sim_ct_equal("xbcd", "abcd", 4), 0);
	assert_int_equal(sim_ct_equal("", "", 0), 1);
	assert_int_equal(sim_ct_streq("secret", "secret"), 1);
	assert_int_equal(sim_ct_streq("secret", "secret2"), 0);
	assert_int_equal(sim_ct_streq("secre", "secret"), 0);
	assert_int_equal(sim_ct_streq("", ""), 1);
	assert_int_equal(sim_ct_streq("", "x"), 0);
	assert_int_equal(sim_ct_streq(NULL, "x"), 0);
}

static void test_random_bytes(void **state)
{
	uint8_t a[64] = { 0 }, b[64] = { 0 }, zero[64] = { 0 };
	errinfo err = ERRINFO_INIT;

	(void)state;
	assert_int_equal(sim_random_bytes(a, sizeof(a), &err), 0);
	assert_int_equal(sim_random_bytes(b, sizeof(b), &err), 0);
	/* 512 random bits: equal or all-zero only if the source is broken. */
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_int_equal(sim_random_bytes(a, 0, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md4_md5_vectors),
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_incremental_matches_oneshot),
		cmocka_unit_test(test_hmac_md5_rfc2202),
		cmocka_unit_test(test_hmac_sha256_rfc4231),
		cmocka_unit_test(test_ct_compare),
		cmocka_unit_test(test_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
