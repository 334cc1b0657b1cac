/* transport.c - the libcurl transport (see transport.h).
 *
 * Handles are created lazily up to pool_size and returned to a free stack
 * after each request; a caller that finds none free waits on a condition
 * variable, waking every 100 ms to notice a cancellation. Each handle
 * keeps at most one cached connection (CURLOPT_MAXCONNECTS = 1), so the
 * pool size is the connection cap too.
 *
 * Whether a failed request "may have reached the server" decides if a
 * write can be retried (retry.h). libcurl tells us how many body bytes
 * went out (CURLINFO_SIZE_UPLOAD_T) and whether a connection existed
 * (CURLINFO_CONNECT_TIME_T); a failure before either is a clean
 * "not sent".
 */
#include "ews/transport.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "core/log.h"
#include "version.h"

#define LOG_COMP "ews.http"

struct ews_transport {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	CURL **handles;          /* all created handles */
	CURL **free_stack;
	long nhandles, nfree, size;
	ews_transport_options o;
	char *ca_bundle, *username, *password, *user_agent;
	long requests, connections;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;
static atomic_int insecure_warned;

static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void ews_uuid4(char out[37])
{
	unsigned char r[16];
	size_t got = 0;
	int i, o = 0;

	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);

		if (n <= 0) {
			/* getrandom cannot fail for 16 bytes once the pool is
			 * initialised; fall back to the clock rather than
			 * send a constant id. */
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			for (; got < sizeof(r); got++)
				r[got] = (unsigned char)(ts.tv_nsec >> (got % 4 * 8)) ^
					 (unsigned char)got;
			break;
		}
		got += (size_t)n;
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		snprintf(out + o, 3, "%02x", r[i]);
		o += 2;
	}
	out[o] = '\0';
}

static char *dup_opt(const char *s)
{
	return s ? strdup(s) : NULL;
}

int ews_transport_new(ews_transport **out, const ews_transport_options *opts,
		      errinfo *err)
{
	ews_transport *t;

	*out = NULL;
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK)
		return errinfo_set(err, ERR_IO, "libcurl initialisation failed: %s",
				   curl_easy_strerror(global_rc));
	if (opts->pool_size < 1 || opts->pool_size > 1000)
		return errinfo_set(err, ERR_INVAL,
				   "CONNECTION_POOL_SIZE: must be from 1 to 1000");
	if (opts->timeout_s < 1)
		return errinfo_set(err, ERR_INVAL,
				   "REQUEST_TIMEOUT: must be at least 1 second");
	if ((opts->auth == EWS_AUTH_BASIC || opts->auth == EWS_AUTH_NTLM) &&
	    (!opts->username || !*opts->username || !opts->password))
		return errinfo_set(err, ERR_CONFIG,
				   "EWS_USERNAME and EWS_PASSWORD are required for "
				   "%s authentication",
				   opts->auth == EWS_AUTH_NTLM ? "ntlm" : "basic");
	t = calloc(1, sizeof(*t));
	if (!t)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	pthread_mutex_init(&t->lock, NULL);
	{
		pthread_condattr_t attr;

		pthread_condattr_init(&attr);
		pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
		pthread_cond_init(&t->freed, &attr);
		pthread_condattr_destroy(&attr);
	}
	t->o = *opts;
	t->size = opts->pool_size;
	t->handles = calloc((size_t)t->size, sizeof(CURL *));
	t->free_stack = calloc((size_t)t->size, sizeof(CURL *));
	t->ca_bundle = dup_opt(opts->ca_bundle);
	t->username = dup_opt(opts->username);
	t->password = dup_opt(opts->password);
	t->user_agent = strdup(opts->user_agent ? opts->user_agent
				 : EWS_MCP_NAME "/" EWS_MCP_VERSION);
	if (!t->handles || !t->free_stack || !t->user_agent ||
	    (opts->ca_bundle && !t->ca_bundle) ||
	    (opts->username && !t->username) ||
	    (opts->password && !t->password)) {
		ews_transport_free(t);
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	}
	t->o.ca_bundle = t->ca_bundle;
	t->o.username = t->username;
	t->o.password = t->password;
	t->o.user_agent = t->user_agent;
	if (opts->insecure && atomic_exchange(&insecure_warned, 1) == 0)
		log_warning(LOG_COMP,
			    "EWS_INSECURE_SKIP_VERIFY=true: TLS certificates of "
			    "Exchange are NOT verified; anyone on the network "
			    "path can read and change mailbox traffic and "
			    "capture credentials. Use EWS_CA_BUNDLE instead.");
	*out = t;
	return 0;
}

void ews_transport_free(ews_transport *t)
{
	long i;

	if (!t)
		return;
	for (i = 0; i < t->nhandles; i++)
		curl_easy_cleanup(t->handles[i]);
	free(t->handles);
	free(t->free_stack);
	free(t->ca_bundle);
	free(t->username);
	if (t->password) {
		/* Wipe the secret before the memory goes back to malloc. */
		volatile char *p = t->password;

		while (*p)
			*p++ = '\0';
		free(t->password);
	}
	free(t->user_agent);
	pthread_cond_destroy(&t->freed);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

/* Settings every request on a handle shares. */
static int setup_handle(ews_transport *t, CURL *h)
{
	long connect_timeout = t->o.connect_timeout_s > 0
		? t->o.connect_timeout_s
		: (t->o.timeout_s < 10 ? t->o.timeout_s : 10);
	CURLcode rc = CURLE_OK;

#define SET(opt, val) \
	do { if (rc == CURLE_OK) rc = curl_easy_setopt(h, opt, val); } while (0)
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	SET(CURLOPT_TCP_KEEPALIVE, 1L);
	SET(CURLOPT_MAXCONNECTS, 1L);
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_USERAGENT, t->user_agent);
	SET(CURLOPT_CONNECTTIMEOUT, connect_timeout);
	SET(CURLOPT_SSL_VERIFYPEER, t->o.insecure ? 0L : 1L);
	SET(CURLOPT_SSL_VERIFYHOST, t->o.insecure ? 0L : 2L);
	if (t->ca_bundle)
		SET(CURLOPT_CAINFO, t->ca_bundle);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	switch (t->o.auth) {
	case EWS_AUTH_BASIC:
		SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		SET(CURLOPT_USERNAME, t->username);
		SET(CURLOPT_PASSWORD, t->password);
		break;
	case EWS_AUTH_NTLM:
		SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_NTLM);
		SET(CURLOPT_USERNAME, t->username);
		SET(CURLOPT_PASSWORD, t->password);
		break;
	case EWS_AUTH_NEGOTIATE:
		/* GSS-API takes the identity from the Kerberos ticket cache;
		 * libcurl still wants a (blank) user to start SPNEGO. */
		SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_NEGOTIATE);
		SET(CURLOPT_USERPWD, ":");
		break;
	case EWS_AUTH_OAUTH2:
		break;
	}
#undef SET
	return rc == CURLE_OK ? 0 : -1;
}

static CURL *acquire(ews_transport *t, const atomic_int *cancel)
{
	CURL *h = NULL;

	pthread_mutex_lock(&t->lock);
	for (;;) {
		if (cancel && atomic_load(cancel))
			break;
		if (t->nfree > 0) {
			h = t->free_stack[--t->nfree];
			break;
		}
		if (t->nhandles < t->size) {
			h = curl_easy_init();
			if (h && setup_handle(t, h) < 0) {
				curl_easy_cleanup(h);
				h = NULL;
			}
			if (h)
				t->handles[t->nhandles++] = h;
			break;
		}
		{
			struct timespec ts;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			ts.tv_nsec += 100 * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&t->freed, &t->lock, &ts);
		}
	}
	pthread_mutex_unlock(&t->lock);
	return h;
}

static void release(ews_transport *t, CURL *h)
{
	pthread_mutex_lock(&t->lock);
	t->free_stack[t->nfree++] = h;
	pthread_cond_signal(&t->freed);
	pthread_mutex_unlock(&t->lock);
}

typedef struct xfer {
	ews_http_response *resp;
	const atomic_int *cancel;
	int too_large;
	const char *body;       /* the request body, handed out once */
	size_t body_len;
	size_t handed;          /* bytes of it libcurl has taken */
	int copy_refused;       /* a 401 answered the copy handed out */
	long os_errno;          /* the socket's errno when it failed */
	int rewind_refused;     /* libcurl wanted them again, and was told no */
} xfer;

/*
 * The request body goes to libcurl through a read callback, never as
 * CURLOPT_POSTFIELDS, so that libcurl cannot put it on the wire twice.
 *
 * libcurl re-sends a request by itself when a connection it counts as
 * reused dies before any answer byte arrives (Curl_retry_request, meant
 * for keep-alive connections the server closed while idle). Under NTLM
 * and Negotiate the body rides the handshake's last leg, on the
 * connection its first leg opened, which libcurl counts as reused: an
 * Exchange that executed a CreateItem and then lost the connection got
 * the same CreateItem again. With POSTFIELDS libcurl has the body in
 * memory and re-sends it silently; with a read callback it must first
 * rewind the body through the seek callback, and the seek callback below
 * allows that only while no byte has been handed out, or when Exchange
 * answered the copy handed out with 401: authentication runs before any
 * operation, so a refused copy was not executed (a Negotiate or Basic
 * challenge to a body sent unauthenticated). The invariant: a second
 * copy of the body leaves this process only after Exchange refused the
 * first one, whatever libcurl decides. A refused rewind ends the
 * transfer with CURLE_SEND_FAIL_REWIND, which the caller sees as "sent,
 * answer lost".
 */
static size_t on_read(char *out, size_t size, size_t n, void *payload)
{
	xfer *x = payload;
	size_t want = size * n, left = x->body_len - x->handed;

	if (want > left)
		want = left;
	memcpy(out, x->body + x->handed, want);
	x->handed += want;
	return want;
}

static int on_seek(void *payload, curl_off_t offset, int origin)
{
	xfer *x = payload;

	if (origin == SEEK_SET && offset == 0 &&
	    (x->handed == 0 || x->copy_refused)) {
		x->handed = 0;
		x->copy_refused = 0;
		return CURL_SEEKFUNC_OK;
	}
	x->rewind_refused = 1;
	return CURL_SEEKFUNC_FAIL;
}

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
	xfer *x = payload;
	size_t len = size * n;

	if (buf_put(&x->resp->body, data, len) < 0) {
		x->too_large = 1;
		return 0;
	}
	return len;
}

static void copy_value(char *dst, size_t cap, const char *v, size_t len)
{
	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' ||
			   v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
	/* Header values end up in logs and errors: keep them printable. */
	for (; *dst; dst++)
		if ((unsigned char)*dst < 0x20 || (unsigned char)*dst == 0x7f)
			*dst = '?';
}

static int header_is(const char *line, size_t len, const char *name,
		     const char **value, size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return 0;
	*value = line + n + 1;
	*vlen = len - n - 1;
	return 1;
}

static size_t on_header(char *line, size_t size, size_t n, void *payload)
{
	xfer *x = payload;
	ews_http_response *r = x->resp;
	size_t len = size * n;
	const char *v;
	size_t vlen;

	if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		const char *sp = memchr(line, ' ', len);

		/* A 401 to a request that carried body bytes: that copy was
		 * refused before any operation ran (see on_seek). */
		if (sp && (size_t)(sp - line) + 4 <= len &&
		    strncmp(sp + 1, "401", 3) == 0 && x->handed > 0)
			x->copy_refused = 1;
		/* A new response (NTLM legs, 100 Continue): forget the
		 * previous one's headers. */
		r->request_id[0] = r->cas_error[0] = r->location[0] = '\0';
		r->bearer_error[0] = '\0';
		r->retry_after_ms = 0;
	} else if (header_is(line, len, "request-id", &v, &vlen)) {
		copy_value(r->request_id, sizeof(r->request_id), v, vlen);
	} else if (header_is(line, len, "X-CasErrorCode", &v, &vlen)) {
		copy_value(r->cas_error, sizeof(r->cas_error), v, vlen);
	} else if (header_is(line, len, "Location", &v, &vlen)) {
		copy_value(r->location, sizeof(r->location), v, vlen);
	} else if (header_is(line, len, "Retry-After", &v, &vlen)) {
		char tmp[32];
		char *end;
		long secs;

		copy_value(tmp, sizeof(tmp), v, vlen);
		secs = strtol(tmp, &end, 10);
		/* Delta-seconds only; an HTTP-date is rare on EWS and the
		 * exponential back-off covers it. */
		if (end != tmp && *end == '\0' && secs >= 0 && secs < 86400)
			r->retry_after_ms = secs * 1000;
	} else if (header_is(line, len, "WWW-Authenticate", &v, &vlen)) {
		char tmp[512];
		const char *e;

		copy_value(tmp, sizeof(tmp), v, vlen);
		if (strncasecmp(tmp, "Bearer", 6) == 0 &&
		    (e = strstr(tmp, "error=\"")) != NULL) {
			const char *q = strchr(e + 7, '"');

			if (q)
				copy_value(r->bearer_error,
					   sizeof(r->bearer_error), e + 7,
					   (size_t)(q - e - 7));
		}
	}
	return len;
}

static int on_progress(void *payload, curl_off_t dt, curl_off_t dn,
		       curl_off_t ut, curl_off_t un)
{
	xfer *x = payload;

	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return x->cancel && atomic_load(x->cancel) ? 1 : 0;
}

/* Host part of url for messages (the URL never holds credentials:
 * url.c refuses them). */
static void host_of(char *out, size_t cap, const char *url)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p ? p + 3 : url;
	n = strcspn(p, "/");
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* Maps a curl failure to a failure kind and an error. */
static int classify(ews_http_response *r, CURLcode rc, const xfer *x,
		    const ews_http_request *req, const char *detail,
		    errinfo *err)
{
	char host[256];
	const char *what = req->what ? req->what : "request";

	host_of(host, sizeof(host), req->url);
	if (rc == CURLE_ABORTED_BY_CALLBACK) {
		r->failure = EWS_FAIL_CANCELLED;
		return errinfo_set(err, ERR_CANCELLED, "%s cancelled by the caller",
				   what);
	}
	if (x->rewind_refused) {
		/* The connection died after the body went out, and libcurl
		 * wanted to send it again: the server may have executed it. */
		r->failure = EWS_FAIL_RESET;
		r->sent = 1;
		return errinfo_set(err, ERR_TRANSIENT,
				   "%s: the connection to %s was lost after the "
				   "request was sent, before any answer", what,
				   host);
	}
	if (x->too_large) {
		r->failure = EWS_FAIL_NONE;
		return errinfo_set(err, ERR_LIMIT,
				   "%s: the answer from %s is larger than %zu bytes",
				   what, host, r->body.cap);
	}
	switch (rc) {
	case CURLE_SSL_CONNECT_ERROR:
		if (strstr(detail, "wrong version number") ||
		    strstr(detail, "packet length too long")) {
			/* The TLS hello was answered in plain HTTP. */
			r->failure = EWS_FAIL_NONE;
			r->sent = 0;
			return errinfo_set(err, ERR_CONFIG,
				"%s does not speak TLS (it answers plain HTTP): use "
				"http:// in EWS_SERVER_URL, or the port where the server "
				"serves HTTPS", host);
		}
		/* fall through */
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
		r->failure = EWS_FAIL_NONE;
		r->sent = 0;
		return errinfo_set(err, ERR_CONFIG,
			"TLS connection to %s failed: %s%s%s (for a private CA set "
			"EWS_CA_BUNDLE to its PEM file)", host,
			curl_easy_strerror(rc), *detail ? ": " : "", detail);
	case CURLE_COULDNT_CONNECT:
		if (x->os_errno == ECONNREFUSED) {
			r->failure = EWS_FAIL_CONNECT;
			r->sent = 0;
			return errinfo_set(err, ERR_IO, "nothing listens at %s (connection "
					   "refused): check the host and port in "
					   "EWS_SERVER_URL", host);
		}
		/* fall through */
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		r->failure = EWS_FAIL_CONNECT;
		r->sent = 0;
		return errinfo_set(err, ERR_IO, "cannot connect to %s: %s%s%s",
				   host, curl_easy_strerror(rc),
				   *detail ? ": " : "", detail);
	case CURLE_PARTIAL_FILE:
	case CURLE_BAD_CONTENT_ENCODING:
		r->failure = r->sent ? EWS_FAIL_TRUNCATED : EWS_FAIL_CONNECT;
		return errinfo_set(err, ERR_TRANSIENT,
				   "%s: the answer from %s was cut short (%s)", what,
				   host, curl_easy_strerror(rc));
	default:
		r->failure = r->sent ? EWS_FAIL_RESET : EWS_FAIL_CONNECT;
		return errinfo_set(err, r->sent ? ERR_TRANSIENT : ERR_IO,
				   "%s to %s failed: %s%s%s", what, host,
				   curl_easy_strerror(rc), *detail ? ": " : "",
				   detail);
	}
}

int ews_transport_post(ews_http_response *r, ews_transport *t,
		       const ews_http_request *req, errinfo *err)
{
	struct curl_slist *headers = NULL, *tmp;
	char line[512], errbuf[CURL_ERROR_SIZE];
	curl_off_t uploaded = 0, connect_us = 0;
	long new_conns = 0, status = 0;
	xfer x = { r, req->cancel, 0, req->body ? req->body : "", req->body_len,
		   0, 0, 0, 0 };
	CURLcode rc = CURLE_OK;
	struct timespec t0, t1;
	CURL *h;
	int error = 0;

	long limit_ms = req->timeout_ms > 0 && req->timeout_ms < t->o.timeout_s * 1000
		? req->timeout_ms : t->o.timeout_s * 1000;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ews_uuid4(r->client_request_id);
	h = acquire(t, req->cancel);
	if (!h) {
		r->failure = EWS_FAIL_CANCELLED;
		if (req->cancel && atomic_load(req->cancel))
			return errinfo_set(err, ERR_CANCELLED,
					   "%s cancelled by the caller",
					   req->what ? req->what : "request");
		r->failure = EWS_FAIL_CONNECT;
		return errinfo_set(err, ERR_NOMEM, "cannot create an HTTP handle");
	}

#define ADD(s) \
	do { \
		tmp = curl_slist_append(headers, s); \
		if (!tmp) \
			goto oom; \
		headers = tmp; \
	} while (0)
	snprintf(line, sizeof(line), "Content-Type: %s",
		 req->content_type ? req->content_type
				   : "text/xml; charset=utf-8");
	ADD(line);
	snprintf(line, sizeof(line), "client-request-id: %s",
		 r->client_request_id);
	ADD(line);
	ADD("return-client-request-id: true");
	ADD("Expect:");
	if (req->anchor_mailbox) {
		snprintf(line, sizeof(line), "X-AnchorMailbox: %s",
			 req->anchor_mailbox);
		ADD(line);
	}
	if (req->bearer) {
		buf auth = BUF_INIT(16384);

		buf_printf(&auth, "Authorization: Bearer %s", req->bearer);
		tmp = buf_failed(&auth) ? NULL
					: curl_slist_append(headers, buf_cstr(&auth));
		/* The slist copied it; wipe our copy of the token. */
		if (auth.ptr)
			memset(auth.ptr, 0, auth.len);
		buf_dispose(&auth);
		if (!tmp)
			goto oom;
		headers = tmp;
	}
#undef ADD

	errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &x);
	curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, on_seek);
	curl_easy_setopt(h, CURLOPT_SEEKDATA, &x);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
			 (curl_off_t)req->body_len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, limit_ms);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	/* A write rides a kept-alive connection only while it is warm: one
	 * used moments ago is one the server has not timed out (IIS and
	 * the load balancers in front of Exchange idle connections out
	 * after a minute or more), so it does not die under the request.
	 * If it still does, the body cannot be re-sent (on_seek) and the
	 * write ends as outcome unknown, never as a second execution. */
	curl_easy_setopt(h, CURLOPT_MAXAGE_CONN,
			 req->kind == EWS_OP_WRITE ? EWS_WRITE_REUSE_IDLE_S
						   : EWS_READ_REUSE_IDLE_S);
	curl_easy_setopt(h, CURLOPT_FRESH_CONNECT,
			 req->kind == EWS_OP_WRITE && t->o.write_fresh_connection
				 ? 1L : 0L);

	rc = curl_easy_perform(h);

	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(h, CURLINFO_SIZE_UPLOAD_T, &uploaded);
	curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us);
	curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &new_conns);
	curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &x.os_errno);
	/* Detach per-request pointers before the handle goes back. */
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_READDATA, NULL);
	curl_easy_setopt(h, CURLOPT_SEEKDATA, NULL);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	release(t, h);
	curl_slist_free_all(headers);
	headers = NULL;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->elapsed_ms = (t1.tv_sec - t0.tv_sec) * 1000 +
			(t1.tv_nsec - t0.tv_nsec) / 1000000;
	r->reused = new_conns == 0 && connect_us > 0;
	/* Body bytes out, or a status line back (a request without body
	 * bytes, e.g. an NTLM leg, still reached the server): either means
	 * the server may have acted on it. */
	r->sent = uploaded > 0 || status > 0 || x.handed > 0;
	pthread_mutex_lock(&t->lock);
	t->requests++;
	t->connections += new_conns;
	pthread_mutex_unlock(&t->lock);

	if (rc == CURLE_OK) {
		r->status = status;
		r->sent = 1;
		log_debug(LOG_COMP,
			  "%s: HTTP %ld in %ld ms, client-request-id=%s "
			  "request-id=%s%s", req->what ? req->what : "POST",
			  status, r->elapsed_ms, r->client_request_id,
			  r->request_id[0] ? r->request_id : "-",
			  r->reused ? " (connection reused)" : "");
		return 0;
	}
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		char host[256];

		host_of(host, sizeof(host), req->url);
		r->failure = r->sent ? EWS_FAIL_TIMEOUT : EWS_FAIL_CONNECT;
		error = errinfo_set(err, ERR_TIMEOUT,
				    "%s: no answer from %s within %.3g s%s",
				    req->what ? req->what : "request", host,
				    (double)limit_ms / 1000.0,
				    r->sent ? "" : " (could not connect)");
	} else {
		error = classify(r, rc, &x, req, errbuf, err);
	}
	log_debug(LOG_COMP, "%s: failed after %ld ms, client-request-id=%s: %s",
		  req->what ? req->what : "POST", r->elapsed_ms,
		  r->client_request_id, curl_easy_strerror(rc));
	return error;

oom:
	curl_slist_free_all(headers);
	release(t, h);
	r->failure = EWS_FAIL_CONNECT;
	return errinfo_set(err, ERR_NOMEM, "out of memory building headers");
}

void ews_http_response_dispose(ews_http_response *r)
{
	if (r)
		buf_dispose(&r->body);
}

void ews_transport_stats_get(ews_transport *t, ews_transport_stats *out)
{
	pthread_mutex_lock(&t->lock);
	out->requests = t->requests;
	out->connections = t->connections;
	pthread_mutex_unlock(&t->lock);
}
