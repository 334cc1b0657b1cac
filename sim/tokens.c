/* tokens.c - the OAuth 2.0 client-credentials token endpoint of ews-sim
 * and its table of issued bearer tokens (see tokens.h).
 *
 * The request is an application/x-www-form-urlencoded body (RFC 6749
 * §4.4.2); answers follow the Microsoft identity platform's shapes:
 * success {"token_type":"Bearer","expires_in":N,"ext_expires_in":N,
 * "access_token":"..."}, failures an RFC 6749 §5.2 error object extended
 * with AADSTS codes, trace and correlation ids, as Azure AD sends them.
 *
 * The table is a fixed array of hash buckets keyed by the SHA-256 of the
 * token: the token itself is never stored, so a memory dump of the sim
 * does not hand out live credentials, and the random token bits make the
 * fingerprint's first bytes a good bucket index.
 */
#include "sim/tokens.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/b64.h"
#include "core/buf.h"
#include "sim/crypto.h"

#define NBUCKETS 1024        /* power of two */
#define MAX_PARAMS 32        /* form fields accepted in one request */
#define TOKEN_BYTES 32
#define REFUSED 1            /* a check said no: answer with the failure */

typedef struct entry {
	uint8_t fp[SIM_SHA256_LEN];   /* SHA-256 of the token text */
	sim_token_identity id;
	struct entry *next;
} entry;

struct sim_tokens {
	pthread_mutex_t lock;
	entry *buckets[NBUCKETS];
	size_t count;
	long lifetime_s;
	size_t max_tokens;
	sim_tokens_app_fn app_lookup;
	sim_tokens_tenant_fn tenant_lookup;
	void *payload;
	sim_tokens_clock_fn clock;
	void *clock_payload;
};

static time_t now(const sim_tokens *t)
{
	return t->clock ? t->clock(t->clock_payload) : time(NULL);
}

static size_t bucket_of(const uint8_t fp[SIM_SHA256_LEN])
{
	return ((size_t)fp[0] | (size_t)fp[1] << 8) & (NBUCKETS - 1);
}

int sim_tokens_new(sim_tokens **out, const sim_tokens_options *opts,
		   errinfo *err)
{
	sim_tokens *t;

	*out = NULL;
	if (!opts || !opts->app_lookup)
		return errinfo_set(err, ERR_INVAL, "token endpoint options: app_lookup callback is required");
	if (opts->lifetime_s < 0)
		return errinfo_set(err, ERR_INVAL, "token endpoint options: lifetime_s is %ld, must be 0 (default 3599) or positive",
				   opts->lifetime_s);
	t = calloc(1, sizeof(*t));
	if (!t)
		return errinfo_set(err, ERR_NOMEM, "token endpoint: out of memory");
	if (pthread_mutex_init(&t->lock, NULL) != 0) {
		free(t);
		return errinfo_set(err, ERR_GENERIC, "token endpoint: cannot create mutex");
	}
	t->lifetime_s = opts->lifetime_s ? opts->lifetime_s : SIM_TOKENS_LIFETIME_DEFAULT;
	t->max_tokens = opts->max_tokens ? opts->max_tokens : SIM_TOKENS_MAX_DEFAULT;
	t->app_lookup = opts->app_lookup;
	t->tenant_lookup = opts->tenant_lookup;
	t->payload = opts->payload;
	t->clock = opts->clock;
	t->clock_payload = opts->clock_payload;
	*out = t;
	return 0;
}

/* Frees every entry (caller holds the lock or owns t exclusively). */
static void clear_locked(sim_tokens *t)
{
	size_t i;

	for (i = 0; i < NBUCKETS; i++) {
		while (t->buckets[i]) {
			entry *e = t->buckets[i];

			t->buckets[i] = e->next;
			free(e);
		}
	}
	t->count = 0;
}

void sim_tokens_free(sim_tokens *t)
{
	if (!t)
		return;
	clear_locked(t);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

void sim_tokens_clear(sim_tokens *t)
{
	pthread_mutex_lock(&t->lock);
	clear_locked(t);
	pthread_mutex_unlock(&t->lock);
}

size_t sim_tokens_count(sim_tokens *t)
{
	size_t n;

	pthread_mutex_lock(&t->lock);
	n = t->count;
	pthread_mutex_unlock(&t->lock);
	return n;
}

/* Drops every expired entry (lock held). */
static void purge_locked(sim_tokens *t, time_t at)
{
	size_t i;

	for (i = 0; i < NBUCKETS; i++) {
		entry **pp = &t->buckets[i];

		while (*pp) {
			if ((*pp)->id.expires_at <= at) {
				entry *e = *pp;

				*pp = e->next;
				free(e);
				t->count--;
			} else {
				pp = &(*pp)->next;
			}
		}
	}
}

int sim_tokens_issue(char **token_out, sim_tokens *t, const sim_app *app,
		     errinfo *err)
{
	uint8_t raw[TOKEN_BYTES];
	buf text = BUF_INIT(2 * TOKEN_BYTES);
	entry *e = NULL;
	size_t i, b;
	time_t at;
	int error;

	*token_out = NULL;
	error = sim_random_bytes(raw, sizeof(raw), err);
	if (error < 0)
		goto cleanup;
	/* base64url without padding (RFC 4648 §5): safe in headers and URLs. */
	error = b64_encode(&text, raw, sizeof(raw), err);
	if (error < 0)
		goto cleanup;
	while (text.len && text.ptr[text.len - 1] == '=')
		buf_truncate(&text, text.len - 1);
	for (i = 0; i < text.len; i++)
		text.ptr[i] = text.ptr[i] == '+' ? '-' :
			      text.ptr[i] == '/' ? '_' : text.ptr[i];

	e = calloc(1, sizeof(*e));
	if (!e) {
		error = errinfo_set(err, ERR_NOMEM, "token endpoint: out of memory");
		goto cleanup;
	}
	sim_sha256(e->fp, text.ptr, text.len);
	snprintf(e->id.client_id, sizeof(e->id.client_id), "%s", app->client_id);
	snprintf(e->id.tenant_id, sizeof(e->id.tenant_id), "%s", app->tenant_id);
	snprintf(e->id.mailbox_scope, sizeof(e->id.mailbox_scope), "%s", app->mailbox_scope);
	e->id.roles = app->roles;

	at = now(t);
	e->id.expires_at = at + t->lifetime_s;
	pthread_mutex_lock(&t->lock);
	purge_locked(t, at);
	if (t->count >= t->max_tokens) {
		pthread_mutex_unlock(&t->lock);
		error = errinfo_set(err, ERR_LIMIT, "token endpoint: %zu live tokens, the table is full",
				    t->max_tokens);
		goto cleanup;
	}
	b = bucket_of(e->fp);
	e->next = t->buckets[b];
	t->buckets[b] = e;
	t->count++;
	pthread_mutex_unlock(&t->lock);
	e = NULL;
	*token_out = buf_detach(&text);
	if (!*token_out)
		error = errinfo_set(err, ERR_NOMEM, "token endpoint: out of memory");
cleanup:
	memset(raw, 0, sizeof(raw));
	free(e);
	buf_dispose(&text);
	return error;
}

sim_token_status sim_tokens_lookup(sim_token_identity *out, sim_tokens *t,
				   const char *token)
{
	uint8_t fp[SIM_SHA256_LEN];
	sim_token_status status = SIM_TOKEN_UNKNOWN;
	entry **pp;
	time_t at;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!t || !token || !*token)
		return SIM_TOKEN_UNKNOWN;
	sim_sha256(fp, token, strlen(token));
	at = now(t);
	pthread_mutex_lock(&t->lock);
	for (pp = &t->buckets[bucket_of(fp)]; *pp; pp = &(*pp)->next) {
		entry *e = *pp;

		/* Fingerprints of random tokens: comparing them in constant
		 * time costs nothing and keeps timing from telling how much
		 * of a guessed token's hash matched. */
		if (!sim_ct_equal(e->fp, fp, sizeof(fp)))
			continue;
		if (e->id.expires_at <= at) {
			*pp = e->next;
			free(e);
			t->count--;
			status = SIM_TOKEN_EXPIRED;
		} else {
			if (out)
				*out = e->id;
			status = SIM_TOKEN_VALID;
		}
		break;
	}
	pthread_mutex_unlock(&t->lock);
	return status;
}

/* ------------------------------------------------------------------ */
/* The token endpoint                                                  */
/* ------------------------------------------------------------------ */

void sim_token_response_dispose(sim_token_response *resp)
{
	if (!resp)
		return;
	free(resp->body);
	memset(resp, 0, sizeof(*resp));
}

typedef struct form {
	char *copy;                  /* the body, decoded in place */
	size_t n;
	const char *name[MAX_PARAMS];
	const char *value[MAX_PARAMS];
} form;

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s (NUL-terminated) in place: '+' is a space, %XX a byte
 * (WHATWG application/x-www-form-urlencoded). -1 on a bad escape or an
 * encoded NUL. */
static int url_decode_inplace(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '+') {
			*w++ = ' ';
		} else if (*s == '%') {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			*w++ = (char)(hi << 4 | lo);
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return 0;
}

static const char *form_get(const form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->name[i], name) == 0)
			return f->value[i];
	return NULL;
}

/* A present, non-empty parameter, or NULL (AAD treats empty as missing). */
static const char *form_param(const form *f, const char *name)
{
	const char *v = form_get(f, name);

	return v && *v ? v : NULL;
}

/* Request values echoed in a description: at most 128 bytes, printable
 * ASCII only (anything else becomes '?'), so the text is valid UTF-8
 * for JSON whatever the client sent and cannot be cut mid-character. */
typedef struct echo {
	char s[129];
} echo;

static echo echo_of(const char *in)
{
	echo e;
	size_t i;

	for (i = 0; in && in[i] && i < sizeof(e.s) - 1; i++)
		e.s[i] = (unsigned char)in[i] < 0x20 || (unsigned char)in[i] >= 0x7f ? '?' : in[i];
	e.s[i] = '\0';
	return e;
}

/* Outcome of a request as an error: AADSTS code, OAuth error, status and
 * the description's first sentence. */
typedef struct failure {
	long code;
	const char *error;
	int status;
	char text[512];
} failure;

static int fail(failure *f, long code, const char *error, int status,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(failure *f, long code, const char *error, int status,
		const char *fmt, ...)
{
	va_list ap;

	f->code = code;
	f->error = error;
	f->status = status;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
	return REFUSED;
}

/* Splits and decodes the body. 0, REFUSED with *fl set on malformed
 * input, or ERR_NOMEM. */
static int form_parse(form *f, const char *body, size_t len, failure *fl)
{
	char *p, *next;
	size_t i;

	f->copy = malloc(len + 1);
	if (!f->copy)
		return ERR_NOMEM;
	memcpy(f->copy, body, len);
	f->copy[len] = '\0';
	if (strlen(f->copy) != len)
		return fail(fl, 9000411, "invalid_request", 400,
			    "The request is not properly formatted: the body holds a NUL byte.");
	for (p = f->copy; p && *p; p = next) {
		char *eq;

		next = strchr(p, '&');
		if (next)
			*next++ = '\0';
		if (!*p)
			continue;  /* "a=1&&b=2": browsers skip empty pairs too */
		if (f->n == MAX_PARAMS)
			return fail(fl, 9000411, "invalid_request", 400,
				    "The request is not properly formatted: more than %d parameters.", MAX_PARAMS);
		eq = strchr(p, '=');
		if (eq)
			*eq++ = '\0';
		if (url_decode_inplace(p) < 0 || (eq && url_decode_inplace(eq) < 0))
			return fail(fl, 9000411, "invalid_request", 400,
				    "The request is not properly formatted: a parameter has an invalid percent-encoding.");
		for (i = 0; i < f->n; i++)
			if (strcmp(f->name[i], p) == 0)
				return fail(fl, 9000411, "invalid_request", 400,
					    "The request is not properly formatted. The parameter '%s' is duplicated.", echo_of(p).s);
		f->name[f->n] = p;
		f->value[f->n] = eq ? eq : "";
		f->n++;
	}
	return 0;
}

static void random_guid(char out[37])
{
	uint8_t g[16] = { 0 };

	if (sim_random_bytes(g, sizeof(g), NULL) < 0)
		memset(g, 0, sizeof(g));  /* a trace id only; zeros are fine */
	g[6] = (uint8_t)((g[6] & 0x0f) | 0x40);  /* RFC 9562 version 4 */
	g[8] = (uint8_t)((g[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9],
		 g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* Serialises obj (stolen) into out->body. 0 or ERR_NOMEM. */
static int set_body(sim_token_response *out, json_t *obj, errinfo *err)
{
	if (!obj)
		return errinfo_set(err, ERR_NOMEM, "token endpoint: out of memory building JSON");
	out->body = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (!out->body)
		return errinfo_set(err, ERR_NOMEM, "token endpoint: out of memory building JSON");
	return 0;
}

static int answer_error(sim_token_response *out, const sim_tokens *t,
			const failure *f, errinfo *err)
{
	char trace[37], corr[37], stamp[32], uri[96];
	buf desc = BUF_INIT(2048);
	time_t at = now(t);
	struct tm tm;
	json_t *obj;
	int error;

	random_guid(trace);
	random_guid(corr);
	gmtime_r(&at, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%SZ", &tm);
	snprintf(uri, sizeof(uri), "https://login.microsoftonline.com/error?code=%ld", f->code);
	/* Azure AD puts the ids and time into the description as well, on
	 * CRLF-separated lines after the message. */
	buf_printf(&desc, "AADSTS%ld: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
		   f->code, f->text, trace, corr, stamp);
	if (buf_failed(&desc)) {
		buf_dispose(&desc);
		return errinfo_set(err, ERR_NOMEM, "token endpoint: out of memory");
	}
	obj = json_pack("{s:s, s:s, s:[I], s:s, s:s, s:s, s:s}",
			"error", f->error,
			"error_description", buf_cstr(&desc),
			"error_codes", (json_int_t)f->code,
			"timestamp", stamp,
			"trace_id", trace,
			"correlation_id", corr,
			"error_uri", uri);
	buf_dispose(&desc);
	out->http_status = f->status;
	snprintf(out->error, sizeof(out->error), "%s", f->error);
	out->aadsts = f->code;
	error = set_body(out, obj, err);
	return error;
}

static int tenant_matches_app(const char *tenant, const sim_app *app)
{
	return strcasecmp(tenant, app->tenant_id) == 0 ||
	       (app->tenant_domain[0] && strcasecmp(tenant, app->tenant_domain) == 0);
}

/* Runs every check on the parsed form. 0 with *app the authenticated app,
 * REFUSED with *fl describing the refusal, or a negative ERR_* for an
 * internal failure with err set. */
static int check_request(sim_app *app, sim_tokens *t, const char *tenant,
			 const form *f, failure *fl, errinfo *err)
{
	char tenant_id[SIM_TOKENS_FIELD_MAX] = "";
	const char *grant, *client_id, *secret, *scope;
	int error;

	grant = form_param(f, "grant_type");
	if (!grant)
		return fail(fl, 900144, "invalid_request", 400,
			    "The request body must contain the parameter 'grant_type'.");
	if (strcmp(grant, "client_credentials") != 0)
		return fail(fl, 70003, "unsupported_grant_type", 400,
			    "The grant type '%s' is not supported here; this endpoint issues tokens for 'client_credentials' only.", echo_of(grant).s);
	client_id = form_param(f, "client_id");
	if (!client_id)
		return fail(fl, 900144, "invalid_request", 400,
			    "The request body must contain the parameter 'client_id'.");
	scope = form_param(f, "scope");
	if (!scope)
		return fail(fl, 900144, "invalid_request", 400,
			    "The request body must contain the parameter 'scope'.");

	if (t->tenant_lookup) {
		error = t->tenant_lookup(tenant_id, sizeof(tenant_id), tenant, t->payload);
		if (error == ERR_NOTFOUND)
			return fail(fl, 90002, "invalid_request", 400,
				    "Tenant '%s' was not found. Check the tenant id or domain in the token URL.", echo_of(tenant).s);
		if (error < 0)
			return errinfo_set(err, error, "token endpoint: tenant lookup failed for '%.128s'", tenant);
	}
	error = t->app_lookup(app, client_id, t->payload);
	if (error < 0 && error != ERR_NOTFOUND)
		return errinfo_set(err, error, "token endpoint: app lookup failed for '%.128s'", client_id);
	if (error == ERR_NOTFOUND ||
	    (t->tenant_lookup ? strcasecmp(tenant_id, app->tenant_id) != 0
			      : !tenant_matches_app(tenant, app)))
		return fail(fl, 700016, "unauthorized_client", 400,
			    "No application with identifier '%s' exists in the directory '%s'. The app may not be installed in this tenant, or the request went to the wrong tenant.",
			    echo_of(client_id).s, echo_of(tenant).s);

	secret = form_param(f, "client_secret");
	if (!secret)
		return fail(fl, 7000216, "invalid_client", 401,
			    "The 'client_credentials' grant needs client authentication: send 'client_secret' (or 'client_assertion').");
	if (!sim_ct_streq(secret, app->secret))
		return fail(fl, 7000215, "invalid_client", 401,
			    "The client secret sent for app '%s' is not valid. Send the secret's value, not its secret ID.", echo_of(client_id).s);
	if (strcmp(scope, SIM_TOKENS_EWS_SCOPE) != 0)
		return fail(fl, 70011, "invalid_scope", 400,
			    "The value of the 'scope' parameter is not valid: '%s'. Request '" SIM_TOKENS_EWS_SCOPE "'.", echo_of(scope).s);
	if (!(app->roles & SIM_APP_ROLE_FULL_ACCESS_AS_APP))
		return fail(fl, 65001, "invalid_grant", 400,
			    "App '%s' has no admin consent for the Office 365 Exchange Online application permission 'full_access_as_app'.", echo_of(client_id).s);
	return 0;
}

int sim_tokens_handle_request(sim_token_response *out, sim_tokens *t,
			      const char *tenant, const char *content_type,
			      const char *body, size_t body_len, errinfo *err)
{
	form f;
	failure fl;
	sim_app *app = NULL;
	char tenant_buf[SIM_TOKENS_FIELD_MAX];
	char *token = NULL;
	int error = 0, rc;

	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	memset(&fl, 0, sizeof(fl));
	snprintf(tenant_buf, sizeof(tenant_buf), "%s", tenant ? tenant : "");
	if (strchr(tenant_buf, '%') && url_decode_inplace(tenant_buf) < 0)
		tenant_buf[0] = '\0';  /* undecodable: no tenant has that name */

	if (content_type &&
	    strncasecmp(content_type, "application/x-www-form-urlencoded", 33) != 0) {
		fail(&fl, 900144, "invalid_request", 400,
		     "The request body must contain the parameter 'grant_type' (the body must be application/x-www-form-urlencoded).");
		goto refuse;
	}
	if (!body)
		body_len = 0;
	if (body_len > SIM_TOKENS_BODY_MAX) {
		fail(&fl, 9000411, "invalid_request", 400,
		     "The request is not properly formatted: the body is longer than %d bytes.", SIM_TOKENS_BODY_MAX);
		goto refuse;
	}
	rc = form_parse(&f, body ? body : "", body_len, &fl);
	if (rc < 0) {
		error = errinfo_set(err, rc, "token endpoint: out of memory");
		goto cleanup;
	}
	if (rc == REFUSED)
		goto refuse;

	app = calloc(1, sizeof(*app));
	if (!app) {
		error = errinfo_set(err, ERR_NOMEM, "token endpoint: out of memory");
		goto cleanup;
	}
	rc = check_request(app, t, tenant_buf, &f, &fl, err);
	if (rc < 0) {
		error = rc;
		goto cleanup;
	}
	if (rc == REFUSED)
		goto refuse;

	error = sim_tokens_issue(&token, t, app, err);
	if (error < 0)
		goto cleanup;
	out->http_status = 200;
	error = set_body(out, json_pack("{s:s, s:I, s:I, s:s}",
					"token_type", "Bearer",
					"expires_in", (json_int_t)t->lifetime_s,
					"ext_expires_in", (json_int_t)t->lifetime_s,
					"access_token", token), err);
	goto cleanup;

refuse:
	error = answer_error(out, t, &fl, err);
cleanup:
	if (app) {
		memset(app, 0, sizeof(*app));
		free(app);
	}
	if (f.copy) {
		memset(f.copy, 0, body_len);
		free(f.copy);
	}
	free(token);
	if (error < 0)
		sim_token_response_dispose(out);
	return error;
}
