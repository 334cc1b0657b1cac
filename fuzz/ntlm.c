/* ntlm.c - fuzz target: ews-sim's NTLM server (sim/ntlm.c) and the
 * Authorization header parser in front of it (sim/httpauth.c).
 *
 * The input is one NTLMSSP message as bytes (what a client base64-encodes
 * into "Authorization: NTLM ..."). It is parsed directly as an
 * AUTHENTICATE message, then sent the way a client would: on a fresh
 * connection (where a NEGOTIATE starts a handshake and anything else is
 * refused), and as the second leg after a real NEGOTIATE/CHALLENGE, where
 * an AUTHENTICATE is checked against the directory (the user alice, as in
 * the demo org). The same bytes are also read as an Authorization header
 * value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/b64.h"
#include "core/buf.h"
#include "sim/httpauth.h"
#include "sim/ntlm.h"

/* curl's NEGOTIATE (type 1) message, which starts every handshake. */
#define TYPE1 "NTLM TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA="

static sim_ntlm_server *srv;

static int lookup(const char *domain, const char *user, char *password_out,
		  size_t password_cap, char *smtp_out, size_t smtp_cap,
		  void *payload)
{
	(void)payload;
	if ((domain[0] && strcasecmp(domain, "CONTOSO") != 0 &&
	     strcasecmp(domain, "contoso.test") != 0) ||
	    (strcasecmp(user, "alice") != 0 &&
	     strcasecmp(user, "alice@contoso.test") != 0))
		return ERR_NOTFOUND;
	snprintf(password_out, password_cap, "Alice-Pass-2026!");
	snprintf(smtp_out, smtp_cap, "alice@contoso.test");
	return 0;
}

static void init(void)
{
	sim_ntlm_options o = SIM_NTLM_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;

	o.lookup = lookup;
	if (sim_ntlm_server_new(&srv, &o, &err) < 0) {
		fprintf(stderr, "ntlm: %s\n", err.msg);
		abort();
	}
}

static void step(sim_ntlm_conn *conn, const char *header)
{
	sim_ntlm_result *res = calloc(1, sizeof(*res));
	errinfo err = ERRINFO_INIT;

	if (!res)
		return;
	sim_ntlm_conn_step(res, conn, srv, header, &err);
	(void)sim_ntlm_conn_identity(conn);
	free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sim_ntlm_authenticate a;
	sim_httpauth auth = SIM_HTTPAUTH_INIT;
	errinfo err = ERRINFO_INIT;
	buf ntlm = BUF_INIT(64 * 1024), nego = BUF_INIT(64 * 1024);
	sim_ntlm_conn *conn = NULL;
	char *text;

	if (!srv)
		init();

	sim_ntlm_parse_authenticate(&a, data, size, &err);

	buf_puts(&ntlm, "NTLM ");
	b64_encode(&ntlm, data, size, NULL);
	buf_puts(&nego, "Negotiate ");
	b64_encode(&nego, data, size, NULL);
	if (!buf_failed(&ntlm) && !buf_failed(&nego) &&
	    sim_ntlm_conn_new(&conn, &err) == 0) {
		step(conn, buf_cstr(&nego));
		step(conn, TYPE1);
		step(conn, buf_cstr(&ntlm));
		sim_ntlm_conn_free(conn);
	}
	buf_dispose(&ntlm);
	buf_dispose(&nego);

	text = malloc(size + 1);
	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
		if (sim_httpauth_parse(&auth, text, &err) == 0)
			sim_httpauth_dispose(&auth);
		free(text);
	}
	return 0;
}
