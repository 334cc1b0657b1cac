/* client.c - building and tearing down the EWS client (see client.h).
 *
 * All validation happens here, once, with messages naming the
 * configuration variable; the request path then trusts the options.
 */
#include "ews/client.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/tz.h"
#include "ews/internal.h"
#include "ews/url.h"
#include "soap/envelope.h"

#define LOG_COMP "EWSClient"

static int check_options(const ews_client_options *o, errinfo *err)
{
	if (o->pool_size < 1 || o->pool_size > 1000)
		return errinfo_set(err, ERR_CONFIG,
				   "CONNECTION_POOL_SIZE: %ld is not from 1 to 1000 "
				   "(example: CONNECTION_POOL_SIZE=10)", o->pool_size);
	if (o->timeout_s < 1 || o->timeout_s > 3600)
		return errinfo_set(err, ERR_CONFIG,
				   "REQUEST_TIMEOUT: %ld is not from 1 to 3600 "
				   "seconds (example: REQUEST_TIMEOUT=30)",
				   o->timeout_s);
	if (o->cache_size < 1)
		return errinfo_set(err, ERR_CONFIG,
				   "EWS_MAILBOX_CACHE_SIZE: must be at least 1");
	if (o->cache_ttl_s < 1 || o->negative_ttl_s < 1)
		return errinfo_set(err, ERR_CONFIG,
				   "CACHE_TTL: must be at least 1 second");
	if (o->max_per_mailbox < 1 || o->max_per_identity < 1)
		return errinfo_set(err, ERR_CONFIG,
				   "EWS_MAX_CONCURRENCY_PER_MAILBOX: must be at "
				   "least 1");
	if (o->retry.max_retries < 0 || o->retry.max_wait_ms < 0 ||
	    o->retry.base_delay_ms < 1)
		return errinfo_set(err, ERR_CONFIG,
				   "retry policy: retries and waits must not be "
				   "negative, the base delay at least 1 ms");
	if (o->server_version && !soap_version_is_supported(o->server_version))
		return errinfo_set(err, ERR_CONFIG,
				   "EWS_SERVER_VERSION: '%.40s' is not supported; use "
				   "Exchange2016 (Exchange 2016, 2019 and Online), "
				   "Exchange2013_SP1 or Exchange2010_SP2",
				   o->server_version);
	return 0;
}

int ews_client_new(ews_client **out, const ews_client_options *opts,
		   errinfo *err)
{
	ews_transport_options to = { 0 };
	char key[EWS_ADDRESS_MAX + 1];
	ews_client *c;
	int error;

	*out = NULL;
	error = check_options(opts, err);
	if (error < 0)
		return error;
	if (!opts->primary_smtp || !*opts->primary_smtp)
		return errinfo_set(err, ERR_CONFIG,
				   "EWS_EMAIL: required (example: "
				   "EWS_EMAIL=svc-mcp@contoso.com)");
	error = ews_address_canonical(key, sizeof(key), opts->primary_smtp,
				      "EWS_EMAIL", err);
	if (error < 0)
		return ERR_CONFIG;
	if (ews_address_check(key, "EWS_EMAIL", err) < 0) {
		if (err)
			err->code = ERR_CONFIG;
		return ERR_CONFIG;
	}

	c = calloc(1, sizeof(*c));
	if (!c)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	c->o = *opts;
	error = ews_url_normalize(&c->url, opts->url, err);
	if (error < 0)
		goto fail;
	c->primary_key = strdup(key);
	{
		/* EWS_EMAIL trimmed but in the configured case: it is what
		 * tool results report as "mailbox" for the primary. */
		const char *p = opts->primary_smtp;
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		n = strlen(p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		c->primary = strndup(p, n);
	}
	c->server_version = strdup(opts->server_version ? opts->server_version
							: "Exchange2016");
	if (!c->primary_key || !c->primary || !c->server_version) {
		error = errinfo_set(err, ERR_NOMEM, "out of memory");
		goto fail;
	}
	/* The caller's strings are not ours to keep. */
	c->o.url = c->url;
	c->o.primary_smtp = c->primary;
	c->o.server_version = c->server_version;
	c->o.username = c->o.password = NULL;
	c->o.client_secret = NULL;
	c->o.client_id = c->o.tenant_id = c->o.oauth_authority = NULL;
	c->o.ca_bundle = NULL;
	c->o.timezone = NULL;
	c->o.impersonation_allowed = NULL;

	if (opts->timezone && *opts->timezone &&
	    strcasecmp(opts->timezone, "UTC") != 0) {
		c->tz_windows = tz_windows_from_iana(opts->timezone);
		if (!c->tz_windows) {
			error = errinfo_set(err, ERR_CONFIG,
				"TIMEZONE: '%.60s' has no Windows time zone id "
				"Exchange knows (example: TIMEZONE=Europe/Berlin)",
				opts->timezone);
			goto fail;
		}
	} else {
		c->tz_windows = "UTC";
	}

	error = ews_allowlist_parse(&c->allow, opts->impersonation_allowed, err);
	if (error < 0)
		goto fail;
	if (opts->impersonation_allowed && !opts->impersonation_enabled)
		log_warning(LOG_COMP, "EWS_IMPERSONATION_ALLOWED is set but "
			    "EWS_IMPERSONATION_ENABLED is false: no other "
			    "mailbox can be reached");
	if (opts->auth_type == EWS_AUTH_OAUTH2 &&
	    opts->impersonation_type == EWS_TARGET_DELEGATE)
		log_warning(LOG_COMP, "EWS_IMPERSONATION_TYPE=delegate has no "
			    "effect with app-only OAuth (the token names no "
			    "user): other mailboxes are impersonated");

	to.pool_size = opts->pool_size;
	to.timeout_s = opts->timeout_s;
	to.ca_bundle = opts->ca_bundle;
	to.insecure = opts->insecure_skip_verify;
	to.max_response = opts->max_response_bytes;
	to.auth = opts->auth_type;
	to.username = opts->username;
	to.password = opts->password;
	to.write_fresh_connection = opts->write_fresh_connection;
	error = ews_transport_new(&c->transport, &to, err);
	if (error < 0)
		goto fail;
	if (opts->auth_type == EWS_AUTH_OAUTH2) {
		ews_oauth_options oo = { 0 };

		oo.authority = opts->oauth_authority;
		oo.tenant = opts->tenant_id;
		oo.client_id = opts->client_id;
		oo.client_secret = opts->client_secret;
		oo.timeout_s = opts->timeout_s;
		oo.ca_bundle = opts->ca_bundle;
		oo.insecure = opts->insecure_skip_verify;
		error = ews_oauth_new(&c->oauth, &oo, err);
		if (error < 0)
			goto fail;
	}
	error = ews_cache_new(&c->cache, (size_t)opts->cache_size,
			      ews_mailbox__cache_retain,
			      ews_mailbox__cache_release, err);
	if (error < 0)
		goto fail;
	error = ews_gate_new(&c->mailbox_gate, opts->max_per_mailbox, err);
	if (error < 0)
		goto fail;
	error = ews_gate_new(&c->identity_gate, opts->max_per_identity, err);
	if (error < 0)
		goto fail;
	/* App-only tokens name no user: even the primary mailbox is reached
	 * by impersonating EWS_EMAIL (ews-protocol.md 3.5). */
	error = ews_mailbox__new(&c->primary_mb, c->primary, EWS_ACCESS_SELF,
				 opts->auth_type == EWS_AUTH_OAUTH2, 1, err);
	if (error < 0)
		goto fail;
	log_debug(LOG_COMP, "EWS client for %s at %s (%s, %s)", c->primary,
		  c->url, c->server_version, c->tz_windows);
	*out = c;
	return 0;
fail:
	ews_client_free(c);
	return error;
}

void ews_client_clear_cache(ews_client *c)
{
	if (!c)
		return;
	if (c->cache && ews_cache_count(c->cache) > 0)
		log_info(LOG_COMP, "Clearing impersonation cache (%zu mailboxes)",
			 ews_cache_count(c->cache));
	ews_cache_clear(c->cache);
	if (c->primary_mb)
		ews_mailbox__folders_clear(c->primary_mb);
}

void ews_client_free(ews_client *c)
{
	if (!c)
		return;
	ews_client_clear_cache(c);
	ews_cache_free(c->cache);
	ews_mailbox_free(c->primary_mb);
	ews_gate_free(c->mailbox_gate);
	ews_gate_free(c->identity_gate);
	ews_oauth_free(c->oauth);
	ews_transport_free(c->transport);
	ews_allowlist_free(c->allow);
	free(c->url);
	free(c->primary);
	free(c->primary_key);
	free(c->server_version);
	free(c);
}

const char *ews_client_url(const ews_client *c)
{
	return c->url;
}

const char *ews_client_primary(const ews_client *c)
{
	return c->primary;
}

const char *ews_client_timezone_id(const ews_client *c)
{
	return c->tz_windows;
}

void ews_client_stats_get(ews_client *c, ews_client_stats *out)
{
	ews_transport_stats ts;

	ews_transport_stats_get(c->transport, &ts);
	out->requests = ts.requests;
	out->connections = ts.connections;
	out->token_fetches = c->oauth ? ews_oauth_fetch_count(c->oauth) : 0;
	out->cached_contexts = (long)ews_cache_count(c->cache);
}
