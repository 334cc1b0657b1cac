/* test_ntlm.c - sim/ntlm.c, the server side of NTLM:
 *  1. a real libcurl client (CURLAUTH_NTLM) against a small libmicrohttpd
 *     server that keeps one sim_ntlm_conn per TCP connection, as the sim's
 *     HTTP front does;
 *  2. the MS-NLMP §4.2.4 NTLMv2 example values;
 *  3. a hand-built client that checks the CHALLENGE message field by
 *     field, then sends malformed, truncated, overlong, hostile and fuzzed
 *     AUTHENTICATE messages, all of which must be rejected cleanly (run
 *     under ASan/UBSan by the sanitizer build).
 */
#include "testutil.h"

#include <curl/curl.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/b64.h"
#include "sim/crypto.h"
#include "sim/ntlm.h"

#define FLAG_UNICODE 0x00000001u
#define FLAG_OEM 0x00000002u
#define FLAG_REQUEST_TARGET 0x00000004u
#define FLAG_NTLM 0x00000200u
#define FLAG_ANONYMOUS 0x00000800u
#define FLAG_ALWAYS_SIGN 0x00008000u
#define FLAG_TARGET_TYPE_DOMAIN 0x00010000u
#define FLAG_ESS 0x00080000u
#define FLAG_TARGET_INFO 0x00800000u
#define FLAG_VERSION 0x02000000u
#define FLAG_128 0x20000000u
#define FLAG_KEY_EXCH 0x40000000u
#define FLAG_56 0x80000000u

/* ------------------------------------------------------------------ */
/* The org: one user, reachable under several login forms               */
/* ------------------------------------------------------------------ */

static atomic_int lookups;
static char last_domain[64], last_user[128];

static int lookup(const char *domain, const char *user, char *password_out,
		  size_t password_cap, char *smtp_out, size_t smtp_cap,
		  void *payload)
{
	const char *pw = NULL, *smtp = NULL;

	(void)payload;
	atomic_fetch_add(&lookups, 1);
	snprintf(last_domain, sizeof(last_domain), "%s", domain);
	snprintf(last_user, sizeof(last_user), "%s", user);
	if ((strcasecmp(domain, "CONTOSO") == 0 || !*domain) &&
	    strcasecmp(user, "alice") == 0) {
		pw = "Secr3t!";
		smtp = "alice@contoso.test";
	} else if (!*domain && strcasecmp(user, "alice@contoso.test") == 0) {
		pw = "Secr3t!";
		smtp = "alice@contoso.test";
	} else if (strcasecmp(user, "j\xc3\xbcrgen") == 0) {
		pw = "P\xc3\xa4ss";            /* "Päss" */
		smtp = "juergen@contoso.test";
	} else if (strcmp(user, "broken") == 0) {
		return ERR_IO;               /* the org store failed */
	}
	if (!pw)
		return ERR_NOTFOUND;
	snprintf(password_out, password_cap, "%s", pw);
	snprintf(smtp_out, smtp_cap, "%s", smtp);
	return 0;
}

static sim_ntlm_server *new_server(void)
{
	sim_ntlm_options o = SIM_NTLM_OPTIONS_INIT;
	sim_ntlm_server *srv = NULL;
	errinfo err = ERRINFO_INIT;

	o.lookup = lookup;
	assert_int_equal(sim_ntlm_server_new(&srv, &o, &err), 0);
	return srv;
}

/* ------------------------------------------------------------------ */
/* Part 1: libcurl against libmicrohttpd                                */
/* ------------------------------------------------------------------ */

typedef struct server {
	struct MHD_Daemon *daemon;
	sim_ntlm_server *ntlm;
	unsigned short port;
	atomic_int connections;     /* TCP connections accepted */
	atomic_int challenges;      /* CHALLENGE messages sent */
	atomic_int reused;          /* requests served from a connection's identity */
} server;

static void on_connection(void *cls, struct MHD_Connection *connection,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	server *s = cls;

	(void)connection;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		sim_ntlm_conn *c = NULL;

		if (sim_ntlm_conn_new(&c, NULL) == 0)
			*socket_context = c;
		atomic_fetch_add(&s->connections, 1);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		sim_ntlm_conn_free(*socket_context);
		*socket_context = NULL;
	}
}

static enum MHD_Result respond(struct MHD_Connection *connection,
			       unsigned int status, const char *www_auth,
			       const char *body)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(body), (void *)body,
					    MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	if (www_auth)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, www_auth);
	ret = MHD_queue_response(connection, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	server *s = cls;
	const union MHD_ConnectionInfo *ci;
	sim_ntlm_conn *conn;
	const char *authz, *identity;
	sim_ntlm_result *res;
	errinfo err = ERRINFO_INIT;
	enum MHD_Result ret;

	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	/* Answer only once the whole request is in: a response queued on the
	 * first call makes MHD close the connection ("Connection: close"),
	 * which would break NTLM, whose handshake lives on the connection. */
	if (!*req_cls) {
		*req_cls = s;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	ci = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	conn = ci ? ci->socket_context : NULL;
	if (!conn)
		return respond(connection, 500, NULL, "no connection state");
	authz = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
					    MHD_HTTP_HEADER_AUTHORIZATION);
	if (!authz) {
		identity = sim_ntlm_conn_identity(conn);
		if (identity) {
			atomic_fetch_add(&s->reused, 1);
			return respond(connection, 200, NULL, identity);
		}
		return respond(connection, 401, "NTLM", "authenticate");
	}
	res = malloc(sizeof(*res));
	if (!res)
		return MHD_NO;
	if (sim_ntlm_conn_step(res, conn, s->ntlm, authz, &err) < 0) {
		ret = respond(connection, 500, NULL, err.msg);
	} else if (res->outcome == SIM_NTLM_AUTHENTICATED) {
		ret = respond(connection, 200, NULL, res->smtp);
	} else {
		if (res->outcome == SIM_NTLM_CHALLENGE)
			atomic_fetch_add(&s->challenges, 1);
		ret = respond(connection, (unsigned)res->http_status,
			      res->www_authenticate, res->reason);
	}
	free(res);
	return ret;
}

static void server_start(server *s)
{
	struct sockaddr_in addr;
	const union MHD_DaemonInfo *di;

	memset(s, 0, sizeof(*s));
	s->ntlm = new_server();
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = 0;
	s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
				     0, NULL, NULL, on_request, s,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				     MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
				     MHD_OPTION_END);
	assert_non_null(s->daemon);
	di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	assert_non_null(di);
	s->port = di->port;
	assert_true(s->port > 0);
}

static void server_stop(server *s)
{
	MHD_stop_daemon(s->daemon);
	sim_ntlm_server_free(s->ntlm);
}

typedef struct body {
	char text[512];
	size_t len;
} body;

static size_t on_body(char *data, size_t size, size_t n, void *userdata)
{
	body *b = userdata;
	size_t take = size * n;

	if (take > sizeof(b->text) - 1 - b->len)
		take = sizeof(b->text) - 1 - b->len;
	memcpy(b->text + b->len, data, take);
	b->len += take;
	b->text[b->len] = '\0';
	return size * n;
}

/* GETs the server `times` times on one easy handle (so one connection
 * when keep-alive works) with NTLM credentials; returns the last status
 * and body. */
static long curl_ntlm_get(const server *s, const char *userpwd, int times,
			  body *b, long *new_connections_on_last)
{
	char url[64];
	CURL *h;
	long status = 0;
	int i;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/EWS/Exchange.asmx", s->port);
	h = curl_easy_init();
	assert_non_null(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_NTLM);
	curl_easy_setopt(h, CURLOPT_USERPWD, userpwd);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	if (getenv("TEST_CURL_VERBOSE"))  /* to watch the wire when debugging */
		curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	for (i = 0; i < times; i++) {
		b->len = 0;
		b->text[0] = '\0';
		assert_int_equal(curl_easy_perform(h), CURLE_OK);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		if (new_connections_on_last)
			curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, new_connections_on_last);
	}
	curl_easy_cleanup(h);
	return status;
}

static void test_curl_handshake_domain_user(void **state)
{
	server s;
	body b;
	long status, new_conns = -1;

	(void)state;
	server_start(&s);
	status = curl_ntlm_get(&s, "CONTOSO\\alice:Secr3t!", 1, &b, NULL);
	assert_int_equal(status, 200);
	assert_string_equal(b.text, "alice@contoso.test");
	/* NTOWFv2 is computed over the names as the client sent them. */
	assert_string_equal(last_domain, "CONTOSO");
	assert_string_equal(last_user, "alice");
	assert_int_equal(atomic_load(&s.challenges), 1);

	/* Two requests on one handle: the second rides the authenticated
	 * keep-alive connection, with no new connection and no handshake. */
	status = curl_ntlm_get(&s, "CONTOSO\\alice:Secr3t!", 2, &b, &new_conns);
	assert_int_equal(status, 200);
	assert_string_equal(b.text, "alice@contoso.test");
	assert_int_equal(new_conns, 0);
	assert_int_equal(atomic_load(&s.challenges), 2);
	assert_true(atomic_load(&s.reused) >= 1);
	server_stop(&s);
}

static void test_curl_handshake_upn(void **state)
{
	server s;
	body b;

	(void)state;
	server_start(&s);
	assert_int_equal(curl_ntlm_get(&s, "alice@contoso.test:Secr3t!", 1, &b, NULL), 200);
	assert_string_equal(b.text, "alice@contoso.test");
	assert_string_equal(last_domain, "");
	assert_string_equal(last_user, "alice@contoso.test");
	server_stop(&s);
}

static void test_curl_wrong_password_and_unknown_user(void **state)
{
	server s;
	body b;

	(void)state;
	server_start(&s);
	assert_int_equal(curl_ntlm_get(&s, "CONTOSO\\alice:wrong", 1, &b, NULL), 401);
	assert_non_null(strstr(b.text, "wrong password"));
	assert_int_equal(curl_ntlm_get(&s, "CONTOSO\\mallory:Secr3t!", 1, &b, NULL), 401);
	assert_non_null(strstr(b.text, "unknown user"));
	/* The user name is case-insensitive, the password is not. */
	assert_int_equal(curl_ntlm_get(&s, "contoso\\ALICE:Secr3t!", 1, &b, NULL), 200);
	assert_int_equal(curl_ntlm_get(&s, "CONTOSO\\alice:secr3t!", 1, &b, NULL), 401);
	server_stop(&s);
}

/* ------------------------------------------------------------------ */
/* Part 2: MS-NLMP §4.2.4 (NTLMv2 authentication example)               */
/* ------------------------------------------------------------------ */

static void hex_to(uint8_t *out, const char *hex)
{
	size_t i, n = strlen(hex) / 2;

	for (i = 0; i < n; i++) {
		unsigned v;

		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static void test_ms_nlmp_ntlmv2_example(void **state)
{
	/* §4.2.4.1.3 "temp": RespType 1, HiRespType 1, Z(6), Time = 0,
	 * ClientChallenge = aa*8, Z(4), the CHALLENGE's TargetInfo
	 * (NbDomainName "Domain", NbComputerName "Server", EOL), Z(4). */
	static const char temp_hex[] =
		"0101000000000000" "0000000000000000" "aaaaaaaaaaaaaaaa" "00000000"
		"02000c0044006f006d00610069006e00"
		"01000c00530065007200760065007200"
		"00000000" "00000000";
	uint8_t want_ntowf[16], want_proof[16], challenge[8], temp[sizeof(temp_hex) / 2];
	uint8_t ntowf[16], proof[16];
	errinfo err = ERRINFO_INIT;

	(void)state;
	hex_to(want_ntowf, "0c868a403bfd7a93a3001ef22ef02e3f");
	hex_to(want_proof, "68cd0ab851e51c96aabc927bebef6a1c");
	hex_to(challenge, "0123456789abcdef");
	hex_to(temp, temp_hex);
	assert_int_equal(sim_ntlm_ntowfv2(ntowf, "Password", "User", "Domain", &err), 0);
	assert_memory_equal(ntowf, want_ntowf, 16);
	/* The user name is upper-cased, so any case gives the same key. */
	assert_int_equal(sim_ntlm_ntowfv2(ntowf, "Password", "uSeR", "Domain", &err), 0);
	assert_memory_equal(ntowf, want_ntowf, 16);
	/* ... but the domain is used as sent. */
	assert_int_equal(sim_ntlm_ntowfv2(ntowf, "Password", "User", "DOMAIN", &err), 0);
	assert_memory_not_equal(ntowf, want_ntowf, 16);

	sim_ntlm_ntproofstr(proof, want_ntowf, challenge, temp, sizeof(temp));
	assert_memory_equal(proof, want_proof, 16);

	assert_int_equal(sim_ntlm_ntowfv2(ntowf, "\xff", "User", "Domain", &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "UTF-8"));
}

/* ------------------------------------------------------------------ */
/* Part 3: a hand-built client                                          */
/* ------------------------------------------------------------------ */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

/* "NTLM <base64(msg)>" (or Negotiate) as a heap string. */
static char *header_for(const char *scheme, const uint8_t *msg, size_t len)
{
	buf b = BUF_INIT(64 * 1024);

	buf_puts(&b, scheme);
	buf_putc(&b, ' ');
	assert_int_equal(b64_encode(&b, msg, len, NULL), 0);
	return buf_detach(&b);
}

/* Decodes the token of a "<Scheme> <base64>" header into out. */
static size_t token_of(uint8_t *out, size_t cap, const char *header)
{
	const char *sp = strchr(header, ' ');
	buf b = BUF_INIT(cap);
	size_t n;

	assert_non_null(sp);
	assert_int_equal(b64_decode(&b, sp + 1, strlen(sp + 1), B64_STRICT, NULL), 0);
	n = b.len;
	memcpy(out, b.ptr, n);
	buf_dispose(&b);
	return n;
}

static size_t make_negotiate(uint8_t *msg, uint32_t flags)
{
	memset(msg, 0, 40);
	memcpy(msg, "NTLMSSP", 8);
	put32(msg + 8, 1);
	put32(msg + 12, flags);
	return 40;     /* with empty domain/workstation fields and a version */
}

/* Runs NEGOTIATE on conn; returns the CHALLENGE message in chal. */
static size_t do_negotiate(uint8_t *chal, size_t cap, sim_ntlm_conn *conn,
			   sim_ntlm_server *srv, const char *scheme,
			   uint32_t flags)
{
	uint8_t neg[40];
	sim_ntlm_result res;
	errinfo err = ERRINFO_INIT;
	char *h = header_for(scheme, neg, make_negotiate(neg, flags));
	size_t n;

	assert_int_equal(sim_ntlm_conn_step(&res, conn, srv, h, &err), 0);
	free(h);
	assert_int_equal(res.outcome, SIM_NTLM_CHALLENGE);
	assert_int_equal(res.http_status, 401);
	assert_int_equal(strncmp(res.www_authenticate, scheme, strlen(scheme)), 0);
	assert_null(sim_ntlm_conn_identity(conn));
	n = token_of(chal, cap, res.www_authenticate);
	assert_true(n >= 56);
	return n;
}

typedef struct client {
	const char *user, *domain, *workstation, *password;
	int unicode;
	size_t nt_len_override;   /* 0: real NTLMv2 response */
	int lm_only;              /* no NT response, only a 24-byte LM one */
	uint32_t extra_flags;
} client;

/* Appends a name field payload; returns its byte length. */
static size_t put_name(uint8_t *p, const char *s, int unicode)
{
	size_t i, n = strlen(s);

	if (!unicode) {
		memcpy(p, s, n);
		return n;
	}
	/* the test names are ASCII or Latin-1 in UTF-8 (2-byte sequences) */
	for (i = 0; *s; i += 2) {
		unsigned c = (unsigned char)*s++;

		if (c >= 0xc0) {
			c = (c & 0x1f) << 6 | ((unsigned char)*s++ & 0x3f);
		}
		put16(p + i, (uint16_t)c);
	}
	return i;
}

/* Builds an AUTHENTICATE message answering `challenge` (8 bytes) with
 * target info `ti`. Layout: 64-byte header, then domain, user,
 * workstation, LM response, NT response (last, so every truncation cuts
 * into a field). */
static size_t make_authenticate(uint8_t *msg, const client *c,
				const uint8_t challenge[8], const uint8_t *ti,
				size_t ti_len)
{
	uint8_t ntowf[16], proof[16], blob[1024];
	errinfo err = ERRINFO_INIT;
	size_t off = 64, n, blob_len = 0, nt_len;
	uint32_t flags = (c->unicode ? FLAG_UNICODE : FLAG_OEM) | FLAG_NTLM |
			 FLAG_ESS | FLAG_TARGET_INFO | c->extra_flags;

	memset(msg, 0, 64);
	memcpy(msg, "NTLMSSP", 8);
	put32(msg + 8, 3);
	put32(msg + 60, flags);

	n = put_name(msg + off, c->domain, c->unicode);
	put16(msg + 28, (uint16_t)n); put16(msg + 30, (uint16_t)n); put32(msg + 32, (uint32_t)off);
	off += n;
	n = put_name(msg + off, c->user, c->unicode);
	put16(msg + 36, (uint16_t)n); put16(msg + 38, (uint16_t)n); put32(msg + 40, (uint32_t)off);
	off += n;
	n = put_name(msg + off, c->workstation, c->unicode);
	put16(msg + 44, (uint16_t)n); put16(msg + 46, (uint16_t)n); put32(msg + 48, (uint32_t)off);
	off += n;

	/* LMv2 is sent as zeros when the CHALLENGE has a timestamp. */
	memset(msg + off, 0, 24);
	put16(msg + 12, 24); put16(msg + 14, 24); put32(msg + 16, (uint32_t)off);
	off += 24;
	if (c->lm_only) {
		put32(msg + 24, (uint32_t)off);
		return off;
	}

	memset(blob, 0, 28);
	blob[0] = 1;
	blob[1] = 1;
	put32(blob + 8, 0x12345678);          /* timestamp, low half */
	memset(blob + 16, 0xaa, 8);           /* client challenge */
	blob_len = 28;
	memcpy(blob + blob_len, ti, ti_len);  /* ends with MsvAvEOL */
	blob_len += ti_len;
	memset(blob + blob_len, 0, 4);
	blob_len += 4;
	assert_int_equal(sim_ntlm_ntowfv2(ntowf, c->password, c->user, c->domain, &err), 0);
	sim_ntlm_ntproofstr(proof, ntowf, challenge, blob, blob_len);
	memcpy(msg + off, proof, 16);
	memcpy(msg + off + 16, blob, blob_len);
	nt_len = c->nt_len_override ? c->nt_len_override : 16 + blob_len;
	put16(msg + 20, (uint16_t)nt_len); put16(msg + 22, (uint16_t)nt_len); put32(msg + 24, (uint32_t)off);
	off += nt_len;
	return off;
}

/* Full handshake with a hand-built client: the outcome of the AUTHENTICATE. */
static sim_ntlm_outcome handshake(sim_ntlm_server *srv, const client *c,
				  sim_ntlm_result *res)
{
	uint8_t chal[1024], msg[4096];
	sim_ntlm_conn *conn = NULL;
	errinfo err = ERRINFO_INIT;
	size_t n, ti_len;
	char *h;

	assert_int_equal(sim_ntlm_conn_new(&conn, &err), 0);
	do_negotiate(chal, sizeof(chal), conn, srv, "NTLM",
		     FLAG_UNICODE | FLAG_OEM | FLAG_REQUEST_TARGET | FLAG_NTLM | FLAG_ESS);
	ti_len = get16(chal + 40);
	n = make_authenticate(msg, c, chal + 24, chal + get32(chal + 44), ti_len);
	h = header_for("NTLM", msg, n);
	assert_int_equal(sim_ntlm_conn_step(res, conn, srv, h, &err), 0);
	free(h);
	if (res->outcome == SIM_NTLM_AUTHENTICATED)
		assert_string_equal(sim_ntlm_conn_identity(conn), res->smtp);
	else
		assert_null(sim_ntlm_conn_identity(conn));
	sim_ntlm_conn_free(conn);
	return res->outcome;
}

static void test_challenge_message(void **state)
{
	sim_ntlm_server *srv = new_server();
	sim_ntlm_conn *conn = NULL;
	uint8_t chal[1024];
	size_t n, off, ti, ti_len;
	uint32_t flags;
	static const struct {
		uint16_t id;
		const char *value;
	} want[] = {
		{ 2, "CONTOSO" }, { 1, "EXCH01" }, { 4, "contoso.test" },
		{ 3, "exch01.contoso.test" },
	};
	size_t i, k;

	(void)state;
	assert_int_equal(sim_ntlm_conn_new(&conn, NULL), 0);

	/* A Windows-like Unicode request. */
	n = do_negotiate(chal, sizeof(chal), conn, srv, "NTLM",
			 FLAG_UNICODE | FLAG_OEM | FLAG_REQUEST_TARGET | FLAG_NTLM |
			 FLAG_ALWAYS_SIGN | FLAG_ESS | FLAG_VERSION | FLAG_128 |
			 FLAG_KEY_EXCH | FLAG_56);
	assert_memory_equal(chal, "NTLMSSP\0", 8);
	assert_int_equal(get32(chal + 8), 2);
	flags = get32(chal + 20);
	assert_int_equal(flags & (FLAG_UNICODE | FLAG_OEM), FLAG_UNICODE);
	assert_true(flags & FLAG_NTLM);
	assert_true(flags & FLAG_TARGET_INFO);
	assert_true(flags & FLAG_REQUEST_TARGET);
	assert_true(flags & FLAG_TARGET_TYPE_DOMAIN);
	assert_true(flags & FLAG_ALWAYS_SIGN);
	assert_true(flags & FLAG_ESS);
	assert_true(flags & FLAG_VERSION);
	assert_true(flags & FLAG_128);
	assert_true(flags & FLAG_56);
	assert_int_equal(chal[48], 10);       /* version: Windows 10.0 / 2019 */
	assert_int_equal(chal[55], 15);       /* NTLMSSP revision */
	/* TargetName "CONTOSO" in UTF-16LE */
	assert_int_equal(get16(chal + 12), 14);
	off = get32(chal + 16);
	assert_true(off + 14 <= n);
	assert_memory_equal(chal + off, "C\0O\0N\0T\0O\0S\0O\0", 14);
	/* TargetInfo AV pairs, in Windows order, then timestamp and EOL */
	ti_len = get16(chal + 40);
	ti = get32(chal + 44);
	assert_true(ti + ti_len <= n);
	off = ti;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		size_t len = strlen(want[i].value);

		assert_int_equal(get16(chal + off), want[i].id);
		assert_int_equal(get16(chal + off + 2), 2 * len);
		for (k = 0; k < len; k++)
			assert_int_equal(get16(chal + off + 4 + 2 * k), (uint8_t)want[i].value[k]);
		off += 4 + 2 * len;
	}
	assert_int_equal(get16(chal + off), 7);   /* MsvAvTimestamp */
	assert_int_equal(get16(chal + off + 2), 8);
	/* a FILETIME after 2020-01-01 (132223104000000000) */
	assert_true(((uint64_t)get32(chal + off + 8) << 32 | get32(chal + off + 4)) >
		    132223104000000000ull);
	off += 12;
	assert_int_equal(get32(chal + off), 0);   /* MsvAvEOL */
	assert_int_equal(off + 4, ti + ti_len);

	/* curl's request: OEM only, no version. The answer is OEM, the
	 * TargetName 8-bit, the version zero. */
	n = do_negotiate(chal, sizeof(chal), conn, srv, "NTLM",
			 FLAG_OEM | FLAG_REQUEST_TARGET | FLAG_NTLM | FLAG_ALWAYS_SIGN);
	flags = get32(chal + 20);
	assert_int_equal(flags & (FLAG_UNICODE | FLAG_OEM), FLAG_OEM);
	assert_false(flags & FLAG_VERSION);
	assert_false(flags & FLAG_ESS);
	assert_int_equal(get16(chal + 12), 7);
	assert_memory_equal(chal + get32(chal + 16), "CONTOSO", 7);
	for (i = 48; i < 56; i++)
		assert_int_equal(chal[i], 0);

	/* Under Negotiate the answer uses Negotiate. */
	do_negotiate(chal, sizeof(chal), conn, srv, "Negotiate", FLAG_UNICODE | FLAG_NTLM);

	/* Two challenges differ (random). */
	{
		uint8_t c2[1024];

		do_negotiate(c2, sizeof(c2), conn, srv, "NTLM", FLAG_UNICODE | FLAG_NTLM);
		assert_memory_not_equal(chal + 24, c2 + 24, 8);
	}
	sim_ntlm_conn_free(conn);
	sim_ntlm_server_free(srv);
}

static void test_handbuilt_client_accepts(void **state)
{
	sim_ntlm_server *srv = new_server();
	sim_ntlm_result res;
	client c = { "alice", "CONTOSO", "WS01", "Secr3t!", 1, 0, 0, 0 };

	(void)state;
	assert_int_equal(handshake(srv, &c, &res), SIM_NTLM_AUTHENTICATED);
	assert_string_equal(res.smtp, "alice@contoso.test");
	assert_string_equal(res.login, "CONTOSO\\alice");
	assert_string_equal(res.www_authenticate, "");
	assert_int_equal(res.http_status, 0);

	c.unicode = 0;                                 /* OEM strings */
	assert_int_equal(handshake(srv, &c, &res), SIM_NTLM_AUTHENTICATED);

	/* Non-ASCII user and password, Unicode: "jürgen" / "Päss"; the
	 * server upper-cases ü to Ü when deriving the key. */
	c = (client){ "j\xc3\xbcrgen", "contoso", "WS01", "P\xc3\xa4ss", 1, 0, 0, 0 };
	assert_int_equal(handshake(srv, &c, &res), SIM_NTLM_AUTHENTICATED);
	assert_string_equal(res.smtp, "juergen@contoso.test");
	assert_string_equal(last_user, "j\xc3\xbcrgen");
	sim_ntlm_server_free(srv);
}

static void test_handbuilt_client_refusals(void **state)
{
	sim_ntlm_server *srv = new_server();
	sim_ntlm_result res;
	errinfo err = ERRINFO_INIT;
	client c;

	(void)state;
	c = (client){ "alice", "CONTOSO", "WS01", "Secr3t!", 1, 24, 0, 0 };  /* NTLMv1 size */
	assert_int_equal(handshake(srv, &c, &res), SIM_NTLM_REJECTED);
	assert_non_null(strstr(res.reason, "NTLMv1"));
	assert_string_equal(res.www_authenticate, "NTLM");
	assert_int_equal(res.http_status, 401);

	c = (client){ "alice", "CONTOSO", "WS01", "Secr3t!", 1, 0, 1, 0 };   /* LM only */
	assert_int_equal(handshake(srv, &c, &res), SIM_NTLM_REJECTED);
	assert_non_null(strstr(res.reason, "LM-only"));

	c = (client){ "", "", "WS01", "", 1, 0, 1, 0 };                      /* anonymous */
	assert_int_equal(handshake(srv, &c, &res), SIM_NTLM_REJECTED);
	assert_non_null(strstr(res.reason, "anonymous"));

	c = (client){ "alice", "CONTOSO", "WS01", "Secr3t!", 1, 0, 0, FLAG_ANONYMOUS };
	assert_int_equal(handshake(srv, &c, &res), SIM_NTLM_REJECTED);
	assert_non_null(strstr(res.reason, "anonymous"));

	c = (client){ "alice", "CONTOSO", "WS01", "Secr3t!", 1, 40, 0, 0 };  /* short v2 */
	assert_int_equal(handshake(srv, &c, &res), SIM_NTLM_REJECTED);
	assert_non_null(strstr(res.reason, "shorter"));

	c = (client){ "alice", "FABRIKAM", "WS01", "Secr3t!", 1, 0, 0, 0 };  /* unknown domain */
	assert_int_equal(handshake(srv, &c, &res), SIM_NTLM_REJECTED);
	assert_non_null(strstr(res.reason, "unknown user"));

	c = (client){ "alice", "CONTOSO", "WS01", "Secr3t?", 1, 0, 0, 0 };
	assert_int_equal(handshake(srv, &c, &res), SIM_NTLM_REJECTED);
	assert_non_null(strstr(res.reason, "wrong password"));

	/* The org store failing is an internal error, not a refusal. */
	{
		uint8_t chal[1024], msg[4096];
		sim_ntlm_conn *conn = NULL;
		char *h;
		size_t n;

		c = (client){ "broken", "CONTOSO", "WS01", "x", 1, 0, 0, 0 };
		assert_int_equal(sim_ntlm_conn_new(&conn, NULL), 0);
		do_negotiate(chal, sizeof(chal), conn, srv, "NTLM", FLAG_UNICODE | FLAG_NTLM);
		n = make_authenticate(msg, &c, chal + 24, chal + get32(chal + 44), get16(chal + 40));
		h = header_for("NTLM", msg, n);
		assert_int_equal(sim_ntlm_conn_step(&res, conn, srv, h, &err), ERR_IO);
		assert_non_null(strstr(err.msg, "lookup failed"));
		assert_null(sim_ntlm_conn_identity(conn));
		free(h);
		sim_ntlm_conn_free(conn);
	}
	sim_ntlm_server_free(srv);
}

/* A rejected step, for a header value, on a connection in any state. */
static void expect_rejected(sim_ntlm_conn *conn, sim_ntlm_server *srv,
			    const char *header, const char *www, const char *reason)
{
	sim_ntlm_result res;
	errinfo err = ERRINFO_INIT;

	assert_int_equal(sim_ntlm_conn_step(&res, conn, srv, header, &err), 0);
	assert_int_equal(res.outcome, SIM_NTLM_REJECTED);
	assert_int_equal(res.http_status, 401);
	assert_string_equal(res.www_authenticate, www);
	if (reason && !strstr(res.reason, reason))
		fail_msg("reason '%s' lacks '%s'", res.reason, reason);
	assert_null(sim_ntlm_conn_identity(conn));
}

static void test_replay_and_state(void **state)
{
	sim_ntlm_server *srv = new_server();
	sim_ntlm_conn *conn = NULL;
	sim_ntlm_result res;
	errinfo err = ERRINFO_INIT;
	client c = { "alice", "CONTOSO", "WS01", "Secr3t!", 1, 0, 0, 0 };
	uint8_t chal[1024], msg[4096], neg[40];
	size_t n;
	char *h, *hneg;

	(void)state;
	assert_int_equal(sim_ntlm_conn_new(&conn, NULL), 0);
	assert_null(sim_ntlm_conn_identity(conn));

	/* AUTHENTICATE with no CHALLENGE on this connection. */
	do_negotiate(chal, sizeof(chal), conn, srv, "NTLM", FLAG_UNICODE | FLAG_NTLM);
	n = make_authenticate(msg, &c, chal + 24, chal + get32(chal + 44), get16(chal + 40));
	h = header_for("NTLM", msg, n);
	{
		sim_ntlm_conn *fresh = NULL;

		assert_int_equal(sim_ntlm_conn_new(&fresh, NULL), 0);
		expect_rejected(fresh, srv, h, "NTLM", "without a CHALLENGE");
		sim_ntlm_conn_free(fresh);
	}
	/* The right connection accepts it once ... */
	assert_int_equal(sim_ntlm_conn_step(&res, conn, srv, h, &err), 0);
	assert_int_equal(res.outcome, SIM_NTLM_AUTHENTICATED);
	assert_string_equal(sim_ntlm_conn_identity(conn), "alice@contoso.test");
	/* ... and a replay fails: the challenge was single-use, and the
	 * failed attempt also drops the connection's identity. */
	expect_rejected(conn, srv, h, "NTLM", "without a CHALLENGE");
	free(h);

	/* A new NEGOTIATE restarts the handshake on an authenticated
	 * connection (IIS does the same). */
	do_negotiate(chal, sizeof(chal), conn, srv, "NTLM", FLAG_UNICODE | FLAG_NTLM);
	n = make_authenticate(msg, &c, chal + 24, chal + get32(chal + 44), get16(chal + 40));
	h = header_for("NTLM", msg, n);
	assert_int_equal(sim_ntlm_conn_step(&res, conn, srv, h, &err), 0);
	assert_int_equal(res.outcome, SIM_NTLM_AUTHENTICATED);
	free(h);
	hneg = header_for("NTLM", neg, make_negotiate(neg, FLAG_UNICODE | FLAG_NTLM));
	assert_int_equal(sim_ntlm_conn_step(&res, conn, srv, hneg, &err), 0);
	assert_int_equal(res.outcome, SIM_NTLM_CHALLENGE);
	assert_null(sim_ntlm_conn_identity(conn));
	free(hneg);

	/* Through Negotiate, NTLM works end to end and answers in Negotiate. */
	do_negotiate(chal, sizeof(chal), conn, srv, "Negotiate", FLAG_UNICODE | FLAG_NTLM);
	n = make_authenticate(msg, &c, chal + 24, chal + get32(chal + 44), get16(chal + 40));
	h = header_for("Negotiate", msg, n);
	assert_int_equal(sim_ntlm_conn_step(&res, conn, srv, h, &err), 0);
	assert_int_equal(res.outcome, SIM_NTLM_AUTHENTICATED);
	free(h);

	sim_ntlm_conn_free(conn);
	sim_ntlm_server_free(srv);
}

static void test_garbage_headers(void **state)
{
	static const struct {
		const char *header, *www, *reason;
	} cases[] = {
		{ NULL, "NTLM", "no NTLM token" },
		{ "", "NTLM", "no NTLM token" },
		{ "NTLM", "NTLM", "empty" },
		{ "NTLM !!!!", "NTLM", "base64" },
		{ "NTLM TlRMTVNTUAABAAAA=", "NTLM", "base64" },
		{ "Negotiate ***", "Negotiate", "base64" },
		{ "Basic YWxpY2U6U2VjcjN0IQ==", "NTLM", "no NTLM token" },
		{ "Bearer abc", "NTLM", "no NTLM token" },
		{ "Negotiate YIIBBgYGKwYBBQUC", "Negotiate", "Kerberos" },
		{ "NTLM aGVsbG8gd29ybGQ=", "NTLM", "not an NTLMSSP" },      /* "hello world" */
		{ "NTLM TlRMTVNTUAA=", "NTLM", "not an NTLMSSP" },          /* signature only */
		{ "NTLM TlRMTVNTUAACAAAA", "NTLM", "unexpected NTLM message type" },
		{ "NTLM TlRMTVNTUAAHAAAA", "NTLM", "unexpected NTLM message type" },
		{ "NTLM TlRMTVNTUAABAAAA", "NTLM", "NEGOTIATE message shorter" }, /* 12 bytes */
	};
	sim_ntlm_server *srv = new_server();
	sim_ntlm_conn *conn = NULL;
	size_t i;

	(void)state;
	assert_int_equal(sim_ntlm_conn_new(&conn, NULL), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("header %zu: %s\n", i, cases[i].header ? cases[i].header : "(null)");
		expect_rejected(conn, srv, cases[i].header, cases[i].www, cases[i].reason);
	}
	sim_ntlm_conn_free(conn);
	sim_ntlm_server_free(srv);
}

/* Every hostile variant goes through a fresh NEGOTIATE so the server is
 * in the state where it actually parses the AUTHENTICATE. */
static void expect_hostile_rejected(sim_ntlm_server *srv, const uint8_t *msg,
				    size_t len, const char *reason)
{
	sim_ntlm_conn *conn = NULL;
	uint8_t chal[1024];
	char *h;

	assert_int_equal(sim_ntlm_conn_new(&conn, NULL), 0);
	do_negotiate(chal, sizeof(chal), conn, srv, "NTLM", FLAG_UNICODE | FLAG_NTLM);
	h = header_for("NTLM", msg, len);
	expect_rejected(conn, srv, h, "NTLM", reason);
	free(h);
	sim_ntlm_conn_free(conn);
}

static void test_hostile_authenticate(void **state)
{
	sim_ntlm_server *srv = new_server();
	client c = { "alice", "CONTOSO", "WS01", "Secr3t!", 1, 0, 0, 0 };
	static const uint8_t ti[4] = { 0 };   /* just MsvAvEOL */
	static const size_t fields[] = { 12, 20, 28, 36, 44, 52 };
	uint8_t challenge[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t good[4096], msg[4096];
	sim_ntlm_authenticate parsed;
	errinfo err = ERRINFO_INIT;
	size_t n, len, i;

	(void)state;
	n = make_authenticate(good, &c, challenge, ti, sizeof(ti));
	assert_int_equal(sim_ntlm_parse_authenticate(&parsed, good, n, &err), 0);
	assert_string_equal(parsed.user, "alice");
	assert_string_equal(parsed.domain, "CONTOSO");
	assert_string_equal(parsed.workstation, "WS01");
	assert_int_equal(parsed.user_upper16_len, 10);
	assert_memory_equal(parsed.user_upper16, "A\0L\0I\0C\0E\0", 10);

	/* Every truncation. */
	for (len = 0; len < n; len++) {
		errinfo_clear(&err);
		assert_int_not_equal(sim_ntlm_parse_authenticate(&parsed, good, len, &err), 0);
		assert_true(err.msg[0] != '\0');
		if (len >= 12)
			expect_hostile_rejected(srv, good, len, NULL);
	}

	/* Each field pointing outside the message or into its header. */
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		static const struct {
			uint16_t len;
			uint32_t off;
		} bad[] = {
			{ 0xffff, 64 }, { 4, 0xffffffffu }, { 4, 0xfffffffcu },
			{ 1, 4096 }, { 2, 0 }, { 2, 63 },
		};
		size_t b;

		for (b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
			memcpy(msg, good, n);
			put16(msg + fields[i], bad[b].len);
			put16(msg + fields[i] + 2, bad[b].len);
			put32(msg + fields[i] + 4, bad[b].off);
			errinfo_clear(&err);
			assert_int_equal(sim_ntlm_parse_authenticate(&parsed, msg, n, &err), ERR_PARSE);
			expect_hostile_rejected(srv, msg, n, NULL);
		}
	}

	/* A field ending exactly at the end of the message is fine, one byte
	 * past it is not (off-by-one check). */
	memcpy(msg, good, n);
	put16(msg + 12, (uint16_t)(n - get32(msg + 16)));
	assert_int_equal(sim_ntlm_parse_authenticate(&parsed, msg, n, &err), 0);
	put16(msg + 12, (uint16_t)(n - get32(msg + 16) + 1));
	errinfo_clear(&err);
	assert_int_equal(sim_ntlm_parse_authenticate(&parsed, msg, n, &err), ERR_PARSE);
	assert_non_null(strstr(err.msg, "LmChallengeResponse"));

	/* Odd UTF-16 length; lone surrogate; embedded NUL character. */
	memcpy(msg, good, n);
	put16(msg + 36, 9);
	errinfo_clear(&err);
	assert_int_equal(sim_ntlm_parse_authenticate(&parsed, msg, n, &err), ERR_PARSE);
	assert_non_null(strstr(err.msg, "odd"));
	expect_hostile_rejected(srv, msg, n, "odd");
	memcpy(msg, good, n);
	put16(msg + get32(msg + 40), 0xd800);
	errinfo_clear(&err);
	assert_int_equal(sim_ntlm_parse_authenticate(&parsed, msg, n, &err), ERR_PARSE);
	memcpy(msg, good, n);
	put16(msg + get32(msg + 40) + 2, 0);
	errinfo_clear(&err);
	assert_int_equal(sim_ntlm_parse_authenticate(&parsed, msg, n, &err), ERR_PARSE);

	/* Wrong signature, wrong type. */
	memcpy(msg, good, n);
	msg[0] = 'X';
	expect_hostile_rejected(srv, msg, n, "not an NTLMSSP");
	memcpy(msg, good, n);
	msg[8] = 9;
	expect_hostile_rejected(srv, msg, n, "unexpected NTLM message type");

	/* Bad NTLMv2 blob version. */
	memcpy(msg, good, n);
	msg[get32(msg + 24) + 16] = 2;
	expect_hostile_rejected(srv, msg, n, "RespType");

	/* Overlong user name (300 UTF-16 characters): refused, not truncated. */
	{
		client lc = c;
		char longname[301];

		memset(longname, 'a', 300);
		longname[300] = '\0';
		lc.user = longname;
		n = make_authenticate(msg, &lc, challenge, ti, sizeof(ti));
		errinfo_clear(&err);
		assert_int_equal(sim_ntlm_parse_authenticate(&parsed, msg, n, &err), ERR_PARSE);
		assert_non_null(strstr(err.msg, "UserName"));
		expect_hostile_rejected(srv, msg, n, "UserName");
		lc.unicode = 0;
		n = make_authenticate(msg, &lc, challenge, ti, sizeof(ti));
		expect_hostile_rejected(srv, msg, n, "UserName");
	}

	/* A token larger than the 16 KiB cap never reaches the parser. */
	{
		uint8_t *big = calloc(1, SIM_HTTPAUTH_TOKEN_MAX + 100);

		assert_non_null(big);
		memcpy(big, good, 64);
		expect_hostile_rejected(srv, big, SIM_HTTPAUTH_TOKEN_MAX + 100, "longer than");
		free(big);
	}
	sim_ntlm_server_free(srv);
}

/* Random corruption of a valid message: whatever the bytes, the server
 * answers (ASan/UBSan watch every read). Deterministic seed. */
static void test_fuzz_authenticate(void **state)
{
	sim_ntlm_server *srv = new_server();
	client c = { "alice", "CONTOSO", "WS01", "Secr3t!", 1, 0, 0, 0 };
	static const uint8_t ti[4] = { 0 };
	uint8_t challenge[8] = { 0 }, good[4096], msg[4096];
	sim_ntlm_conn *conn = NULL;
	sim_ntlm_result res;
	errinfo err = ERRINFO_INIT;
	size_t n, len;
	unsigned seed = 12345;
	int i, k, flips;

	(void)state;
	n = make_authenticate(good, &c, challenge, ti, sizeof(ti));
	assert_int_equal(sim_ntlm_conn_new(&conn, NULL), 0);
	for (i = 0; i < 3000; i++) {
		uint8_t chal[1024];
		char *h;

		memcpy(msg, good, n);
		flips = 1 + (int)(rand_r(&seed) % 8);
		for (k = 0; k < flips; k++) {
			/* bias towards the header, where the offsets live */
			size_t r = (size_t)rand_r(&seed);
			size_t at = r % 2 ? r / 2 % 64 : r / 2 % n;

			msg[at] = (uint8_t)rand_r(&seed);
		}
		len = (size_t)rand_r(&seed);
		len = len % 4 ? n : len / 4 % (n + 1);
		do_negotiate(chal, sizeof(chal), conn, srv, "NTLM", FLAG_UNICODE | FLAG_NTLM);
		h = header_for("NTLM", msg, len);
		errinfo_clear(&err);
		assert_int_equal(sim_ntlm_conn_step(&res, conn, srv, h, &err), 0);
		/* The server challenge is random, so the proof never matches;
		 * a corrupted type field may turn it into a NEGOTIATE. */
		assert_int_not_equal(res.outcome, SIM_NTLM_AUTHENTICATED);
		assert_int_equal(res.http_status, 401);
		free(h);
	}
	sim_ntlm_conn_free(conn);
	sim_ntlm_server_free(srv);
}

static void test_server_options(void **state)
{
	sim_ntlm_options o = SIM_NTLM_OPTIONS_INIT;
	sim_ntlm_server *srv = (sim_ntlm_server *)1;
	errinfo err = ERRINFO_INIT;

	(void)state;
	assert_int_equal(sim_ntlm_server_new(&srv, &o, &err), ERR_INVAL);
	assert_null(srv);
	assert_non_null(strstr(err.msg, "lookup"));
	o.lookup = lookup;
	o.nb_domain = "";
	errinfo_clear(&err);
	assert_int_equal(sim_ntlm_server_new(&srv, &o, &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "nb_domain"));
	o.nb_domain = "CON\nTOSO";
	errinfo_clear(&err);
	assert_int_equal(sim_ntlm_server_new(&srv, &o, &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "control character"));
	o.nb_domain = NULL;           /* default */
	o.dns_domain = "fabrikam.test";
	assert_int_equal(sim_ntlm_server_new(&srv, &o, &err), 0);
	sim_ntlm_server_free(srv);
	sim_ntlm_server_free(NULL);
	sim_ntlm_conn_free(NULL);
	assert_null(sim_ntlm_conn_identity(NULL));
}

static int setup_all(void **state)
{
	(void)state;
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static int teardown_all(void **state)
{
	(void)state;
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ms_nlmp_ntlmv2_example),
		cmocka_unit_test(test_server_options),
		cmocka_unit_test(test_challenge_message),
		cmocka_unit_test(test_handbuilt_client_accepts),
		cmocka_unit_test(test_handbuilt_client_refusals),
		cmocka_unit_test(test_replay_and_state),
		cmocka_unit_test(test_garbage_headers),
		cmocka_unit_test(test_hostile_authenticate),
		cmocka_unit_test(test_fuzz_authenticate),
		cmocka_unit_test(test_curl_handshake_domain_user),
		cmocka_unit_test(test_curl_handshake_upn),
		cmocka_unit_test(test_curl_wrong_password_and_unknown_user),
	};

	return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
