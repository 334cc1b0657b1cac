/* oauth.c - client-credentials tokens (see oauth.h).
 *
 * The token endpoint is called with its own curl handle, not one of the
 * EWS pool: it is another host, it is called rarely, and a token fetch
 * must not wait behind EWS requests that are themselves waiting for the
 * token.
 */
#include "ews/oauth.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "ews/gate.h"

#define LOG_COMP "ews.oauth"
#define TOKEN_BODY_MAX (256 * 1024)

struct ews_oauth {
	pthread_mutex_t lock;
	char *url;            /* {authority}/{tenant}/oauth2/v2.0/token */
	char *client_id, *client_secret, *scope, *ca_bundle;
	long timeout_s;
	int insecure;
	char *token;          /* current access token, NULL if none */
	long long renew_at;   /* ews_now_ms() after which we fetch again */
	long long expires_at; /* ews_now_ms() when the token stops working */
	long fetches;
};

static void wipe_free(char *s)
{
	if (s) {
		volatile char *p = s;

		while (*p)
			*p++ = '\0';
		free(s);
	}
}

static int missing(const char *s)
{
	return !s || !*s;
}

int ews_oauth_new(ews_oauth **out, const ews_oauth_options *opts,
		  errinfo *err)
{
	const char *authority = opts->authority && *opts->authority
		? opts->authority : EWS_OAUTH_AUTHORITY_DEFAULT;
	buf url = BUF_INIT(4096);
	ews_oauth *o;
	char *tenant;
	size_t alen;

	*out = NULL;
	if (missing(opts->tenant))
		return errinfo_set(err, ERR_CONFIG,
				   "EWS_TENANT_ID: required for oauth2 (example: "
				   "EWS_TENANT_ID=contoso.onmicrosoft.com)");
	if (missing(opts->client_id))
		return errinfo_set(err, ERR_CONFIG,
				   "EWS_CLIENT_ID: required for oauth2 (the "
				   "application id of the Entra app)");
	if (missing(opts->client_secret))
		return errinfo_set(err, ERR_CONFIG,
				   "EWS_CLIENT_SECRET: required for oauth2");
	if (strncmp(authority, "https://", 8) != 0 &&
	    strncmp(authority, "http://", 7) != 0)
		return errinfo_set(err, ERR_CONFIG,
				   "EWS_OAUTH_AUTHORITY: must start with https:// "
				   "(example: https://login.microsoftonline.com)");
	tenant = curl_easy_escape(NULL, opts->tenant, 0);
	if (!tenant)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	alen = strlen(authority);
	while (alen > 0 && authority[alen - 1] == '/')
		alen--;
	buf_put(&url, authority, alen);
	buf_printf(&url, "/%s/oauth2/v2.0/token", tenant);
	curl_free(tenant);

	o = calloc(1, sizeof(*o));
	if (!o) {
		buf_dispose(&url);
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	}
	pthread_mutex_init(&o->lock, NULL);
	o->url = buf_detach(&url);
	o->client_id = strdup(opts->client_id);
	o->client_secret = strdup(opts->client_secret);
	o->scope = strdup(opts->scope ? opts->scope : EWS_OAUTH_SCOPE);
	o->ca_bundle = opts->ca_bundle ? strdup(opts->ca_bundle) : NULL;
	o->timeout_s = opts->timeout_s > 0 ? opts->timeout_s : 30;
	o->insecure = opts->insecure;
	if (!o->url || !o->client_id || !o->client_secret || !o->scope ||
	    (opts->ca_bundle && !o->ca_bundle)) {
		ews_oauth_free(o);
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	}
	*out = o;
	return 0;
}

void ews_oauth_free(ews_oauth *o)
{
	if (!o)
		return;
	free(o->url);
	free(o->client_id);
	wipe_free(o->client_secret);
	free(o->scope);
	free(o->ca_bundle);
	wipe_free(o->token);
	pthread_mutex_destroy(&o->lock);
	free(o);
}

long ews_oauth_fetch_count(ews_oauth *o)
{
	long n;

	pthread_mutex_lock(&o->lock);
	n = o->fetches;
	pthread_mutex_unlock(&o->lock);
	return n;
}

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
	return buf_put(payload, data, size * n) < 0 ? 0 : size * n;
}

static int on_progress(void *payload, curl_off_t a, curl_off_t b,
		       curl_off_t c, curl_off_t d)
{
	const atomic_int *cancel = payload;

	(void)a;
	(void)b;
	(void)c;
	(void)d;
	return cancel && atomic_load(cancel) ? 1 : 0;
}

/* Appends name=urlencode(value) to the form body. */
static void put_param(buf *form, const char *name, const char *value)
{
	char *enc = curl_easy_escape(NULL, value, 0);

	if (!enc) {
		form->failed = 1;
		return;
	}
	buf_printf(form, "%s%s=%s", form->len ? "&" : "", name, enc);
	memset(enc, 0, strlen(enc));
	curl_free(enc);
}

/* Reads Microsoft's error answer: "invalid_client: AADSTS7000215: ...". */
static int token_error(long status, const buf *body, const char *url,
		       errinfo *err)
{
	json_t *doc = json_loadb(body->ptr ? body->ptr : "", body->len, 0, NULL);
	const char *e = NULL, *desc = NULL;
	int code = ERR_AUTH;

	if (doc) {
		e = json_string_value(json_object_get(doc, "error"));
		desc = json_string_value(json_object_get(doc,
							 "error_description"));
	}
	/* AADSTS90002: tenant not found - a configuration problem. */
	if (desc && strstr(desc, "AADSTS90002"))
		code = ERR_CONFIG;
	if (e)
		errinfo_set(err, code,
			    "OAuth token request to %s failed (HTTP %ld): %s%s%s",
			    url, status, e, desc ? ": " : "", desc ? desc : "");
	else
		errinfo_set(err, status >= 500 ? ERR_TRANSIENT : ERR_AUTH,
			    "OAuth token request to %s failed with HTTP %ld and "
			    "no OAuth error in the answer", url, status);
	json_decref(doc);
	return err ? err->code : code;
}

/* One POST to the token endpoint (lock held). */
static int fetch(ews_oauth *o, const atomic_int *cancel, errinfo *err)
{
	buf form = BUF_INIT(16384), body = BUF_INIT(TOKEN_BODY_MAX);
	struct curl_slist *headers = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	json_t *doc = NULL, *jexp;
	const char *token;
	long status = 0;
	long long expires_in = 0, margin;
	CURLcode rc;
	CURL *h;
	int error = 0;

	put_param(&form, "grant_type", "client_credentials");
	put_param(&form, "client_id", o->client_id);
	put_param(&form, "client_secret", o->client_secret);
	put_param(&form, "scope", o->scope);
	h = curl_easy_init();
	headers = curl_slist_append(NULL,
		"Content-Type: application/x-www-form-urlencoded");
	if (buf_failed(&form) || !h || !headers) {
		error = errinfo_set(err, ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	curl_easy_setopt(h, CURLOPT_URL, o->url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, form.ptr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)form.len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, o->timeout_s);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ews-mcp");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o->insecure ? 0L : 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L);
	if (o->ca_bundle)
		curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_bundle);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)cancel);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(h);
	if (rc == CURLE_ABORTED_BY_CALLBACK) {
		error = errinfo_set(err, ERR_CANCELLED,
				    "cancelled while fetching an OAuth token");
		goto cleanup;
	}
	if (rc != CURLE_OK) {
		error = errinfo_set(err, rc == CURLE_OPERATION_TIMEDOUT
				    ? ERR_TIMEOUT : ERR_IO,
				    "OAuth token request to %s failed: %s%s%s",
				    o->url, curl_easy_strerror(rc),
				    errbuf[0] ? ": " : "", errbuf);
		goto cleanup;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		error = token_error(status, &body, o->url, err);
		goto cleanup;
	}
	doc = json_loadb(body.ptr ? body.ptr : "", body.len, 0, NULL);
	token = doc ? json_string_value(json_object_get(doc, "access_token"))
		    : NULL;
	if (!token || !*token) {
		error = errinfo_set(err, ERR_PARSE,
				    "OAuth token answer from %s has no "
				    "access_token", o->url);
		goto cleanup;
	}
	jexp = json_object_get(doc, "expires_in");
	if (json_is_integer(jexp))
		expires_in = json_integer_value(jexp);
	else if (json_is_string(jexp))
		expires_in = strtoll(json_string_value(jexp), NULL, 10);
	if (expires_in <= 0)
		expires_in = 3599;  /* Entra's usual lifetime */
	/* Renew 5 minutes early, or after 4/5 of a short lifetime. */
	margin = expires_in / 5 < 300 ? expires_in / 5 : 300;
	wipe_free(o->token);
	o->token = strdup(token);
	if (!o->token) {
		error = errinfo_set(err, ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	o->renew_at = ews_now_ms() + (expires_in - margin) * 1000;
	o->expires_at = ews_now_ms() + expires_in * 1000;
	o->fetches++;
	log_debug(LOG_COMP, "new OAuth token from %s, valid for %lld s", o->url,
		  expires_in);
cleanup:
	if (form.ptr)
		memset(form.ptr, 0, form.len);  /* it holds the secret */
	buf_dispose(&form);
	if (body.ptr)
		memset(body.ptr, 0, body.len);  /* and this the token */
	buf_dispose(&body);
	json_decref(doc);
	curl_slist_free_all(headers);
	if (h)
		curl_easy_cleanup(h);
	return error;
}

int ews_oauth_token(char **out, ews_oauth *o, const char *rejected,
		    const atomic_int *cancel, errinfo *err)
{
	int error = 0;

	*out = NULL;
	pthread_mutex_lock(&o->lock);
	if (o->token && rejected && strcmp(o->token, rejected) == 0) {
		wipe_free(o->token);
		o->token = NULL;
	}
	if (!o->token || ews_now_ms() >= o->renew_at) {
		errinfo local = ERRINFO_INIT;

		error = fetch(o, cancel, &local);
		if (error && error != ERR_CANCELLED && o->token &&
		    ews_now_ms() < o->expires_at) {
			/* An early renewal failed; the current token still
			 * works for a while, so use it and try again later. */
			log_warning(LOG_COMP, "token renewal failed, keeping the "
				    "current token until it expires: %s",
				    local.msg);
			error = 0;
		} else if (error) {
			errinfo_set(err, local.code, "%s", local.msg);
		}
	}
	if (!error) {
		*out = strdup(o->token);
		if (!*out)
			error = errinfo_set(err, ERR_NOMEM, "out of memory");
	}
	pthread_mutex_unlock(&o->lock);
	return error;
}
