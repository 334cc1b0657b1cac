/* test_b64.c - strict base64 (src/core/b64.c): RFC 4648 section 10
 * vectors, invalid input, whitespace handling and size caps. */
#include "testutil.h"

#include <string.h>

#include "core/b64.h"

static const struct {
	const char *plain, *encoded;
} vectors[] = {
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

static void test_rfc4648_vectors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		buf enc = BUF_INIT(1024), dec = BUF_INIT(1024);
		errinfo err = ERRINFO_INIT;

		assert_int_equal(b64_encode(&enc, vectors[i].plain, strlen(vectors[i].plain), &err), 0);
		assert_string_equal(buf_cstr(&enc), vectors[i].encoded);
		assert_int_equal(b64_encoded_len(strlen(vectors[i].plain)), strlen(vectors[i].encoded));
		assert_int_equal(b64_decode(&dec, vectors[i].encoded, strlen(vectors[i].encoded),
					    B64_STRICT, &err), 0);
		assert_int_equal(dec.len, strlen(vectors[i].plain));
		assert_memory_equal(buf_cstr(&dec), vectors[i].plain, dec.len);
		buf_dispose(&enc);
		buf_dispose(&dec);
	}
}

static void test_binary_round_trip(void **state)
{
	unsigned char bytes[256];
	buf enc = BUF_INIT(4096), dec = BUF_INIT(4096);
	errinfo err = ERRINFO_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (unsigned char)(255 - i);
	assert_int_equal(b64_encode(&enc, bytes, sizeof(bytes), &err), 0);
	assert_int_equal(b64_decode(&dec, enc.ptr, enc.len, B64_STRICT, &err), 0);
	assert_int_equal(dec.len, sizeof(bytes));
	assert_memory_equal(dec.ptr, bytes, sizeof(bytes));
	/* "+/" appear in this data: the standard, not the URL alphabet. */
	assert_non_null(strpbrk(enc.ptr, "+/"));
	buf_dispose(&enc);
	buf_dispose(&dec);
}

/* Rows: input, flags, expected error text (substring). */
static const struct {
	const char *in;
	int flags;
	const char *want;
} invalid[] = {
	{ "Zm9v!A==", B64_STRICT, "invalid character '!' at offset 4" },
	{ "Zm9-", B64_STRICT, "invalid character '-' at offset 3" },   /* URL alphabet */
	{ "Zm9_", B64_STRICT, "invalid character '_' at offset 3" },
	{ "Zm9vYg=", B64_STRICT, "not a multiple of 4" },
	{ "Zm9vY", B64_STRICT, "not a multiple of 4" },
	{ "Zg", B64_STRICT, "not a multiple of 4" },
	{ "Z===", B64_STRICT, "bad padding" },
	{ "====", B64_STRICT, "bad padding" },
	{ "Zg==Zg==", B64_STRICT, "data after padding at offset 4" },
	{ "Zm=v", B64_STRICT, "data after padding at offset 3" },
	{ "Zh==", B64_STRICT, "non-zero bits" },
	{ "Zm9=", B64_STRICT, "non-zero bits" },
	{ "Zm9v\nYmFy", B64_STRICT, "invalid byte 0x0a at offset 4" },
	{ "Zm9v YmFy", B64_STRICT, "invalid character ' ' at offset 4" },
	{ "Zm9v\x80", B64_IGNORE_SPACE, "invalid byte 0x80 at offset 4" },
};

static void test_invalid_input(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		buf dec = BUF_INIT(1024);
		errinfo err = ERRINFO_INIT;

		buf_puts(&dec, "keep");
		assert_int_equal(b64_decode(&dec, invalid[i].in, strlen(invalid[i].in),
					    invalid[i].flags, &err), ERR_INVAL);
		if (!strstr(err.msg, invalid[i].want))
			fail_msg("row %zu: '%s' does not contain '%s'", i, err.msg, invalid[i].want);
		/* Nothing was appended on a validation error. */
		assert_string_equal(buf_cstr(&dec), "keep");
		buf_dispose(&dec);
	}
}

static void test_mime_whitespace(void **state)
{
	const char *mime = "Zm9v\r\nYmFy\r\n Zm9v\tYg==\r\n";
	buf dec = BUF_INIT(1024);
	errinfo err = ERRINFO_INIT;

	(void)state;
	assert_int_equal(b64_decode(&dec, mime, strlen(mime), B64_IGNORE_SPACE, &err), 0);
	assert_string_equal(buf_cstr(&dec), "foobarfoob");
	buf_dispose(&dec);
}

static void test_caps(void **state)
{
	buf enc = BUF_INIT(7), dec = BUF_INIT(5);
	errinfo err = ERRINFO_INIT;

	(void)state;
	assert_int_equal(b64_encode(&enc, "foobar", 6, &err), ERR_NOMEM);
	assert_true(buf_failed(&enc));
	assert_non_null(strstr(err.msg, "needs 8 characters"));
	errinfo_clear(&err);
	assert_int_equal(b64_decode(&dec, "Zm9vYmFy", 8, B64_STRICT, &err), ERR_NOMEM);
	assert_non_null(strstr(err.msg, "6 bytes"));
	errinfo_clear(&err);
	buf_dispose(&dec);
	{
		buf exact = BUF_INIT(6);

		assert_int_equal(b64_decode(&exact, "Zm9vYmFy", 8, B64_STRICT, &err), 0);
		assert_string_equal(buf_cstr(&exact), "foobar");
		buf_dispose(&exact);
	}
	buf_dispose(&enc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4648_vectors),
		cmocka_unit_test(test_binary_round_trip),
		cmocka_unit_test(test_invalid_input),
		cmocka_unit_test(test_mime_whitespace),
		cmocka_unit_test(test_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
