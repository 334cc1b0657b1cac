/* server.c - the HTTP front of ews-sim on libmicrohttpd (thread per
 * connection, HTTP/1.1 keep-alive): routing, authentication (Basic, NTLM
 * with per-connection state, Bearer tokens from the sim's token
 * endpoint), request body cap, the /sim/ test endpoints, the access log,
 * and the library API of sim.h.
 */
#include "sim/sim.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "core/log.h"
#include "sim/crypto.h"
#include "sim/httpauth.h"
#include "sim/sim_int.h"

struct ews_sim {
	sim_ctx ctx;
	struct MHD_Daemon *daemon;
	char url[96];
	int lock_init;
};

/* Per-request upload state (MHD's con_cls). */
typedef struct upload {
	buf body;
	int too_big;
} upload;

/* ---- directory callbacks for the auth modules ---- */

static int ntlm_lookup(const char *domain, const char *user,
		       char *password_out, size_t password_cap,
		       char *smtp_out, size_t smtp_cap, void *payload)
{
	const sim_ctx *ctx = payload;
	char login[600];
	int idx;

	if (domain && *domain)
		snprintf(login, sizeof(login), "%s\\%s", domain, user);
	else
		snprintf(login, sizeof(login), "%s", user);
	idx = sim_org_find_login(ctx->org, login);
	if (idx < 0 && domain && *domain)
		idx = sim_org_find_login(ctx->org, user);
	if (idx < 0 || !ctx->org->users[idx].password)
		return ERR_NOTFOUND;
	snprintf(password_out, password_cap, "%s", ctx->org->users[idx].password);
	snprintf(smtp_out, smtp_cap, "%s", ctx->org->users[idx].smtp);
	return 0;
}

static int app_lookup(sim_app *out, const char *client_id, void *payload)
{
	const sim_ctx *ctx = payload;
	const sim_org_app *a;
	size_t i, len = 0;
	int idx = sim_org_find_app(ctx->org, client_id);

	memset(out, 0, sizeof(*out));
	if (idx < 0)
		return ERR_NOTFOUND;
	a = &ctx->org->apps[idx];
	snprintf(out->client_id, sizeof(out->client_id), "%s", a->client_id);
	snprintf(out->tenant_id, sizeof(out->tenant_id), "%s", a->tenant_id);
	if (strcasecmp(a->tenant, a->tenant_id) != 0)
		snprintf(out->tenant_domain, sizeof(out->tenant_domain), "%s",
			 a->tenant);
	snprintf(out->secret, sizeof(out->secret), "%s", a->client_secret);
	out->roles = a->full_access ? SIM_APP_ROLE_FULL_ACCESS_AS_APP : 0;
	for (i = 0; a->scoped && i < a->nmailboxes; i++) {
		const char *smtp = ctx->org->users[a->mailboxes[i]].smtp;
		int n = snprintf(out->mailbox_scope + len,
				 sizeof(out->mailbox_scope) - len, "%s%s",
				 i ? "," : "", smtp);

		if (n < 0 || (size_t)n >= sizeof(out->mailbox_scope) - len)
			break;
		len += (size_t)n;
	}
	return 0;
}

/* ---- responses ---- */

static enum MHD_Result send_buf(struct MHD_Connection *conn, int status,
				const char *type, const char *data, size_t len)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;

	resp = MHD_create_response_from_buffer(len, (void *)data,
					       MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	if (type)
		MHD_add_response_header(resp, "Content-Type", type);
	rc = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result send_text(struct MHD_Connection *conn, int status,
				 const char *text)
{
	return send_buf(conn, status, "text/plain; charset=utf-8", text,
			strlen(text));
}

/* Truncated body: declares the full length, delivers half, then fails so
 * MHD drops the connection mid-body. */
typedef struct trunc_state {
	char *data;
	size_t len;
	size_t stop;
} trunc_state;

static ssize_t trunc_read(void *cls, uint64_t pos, char *out, size_t max)
{
	trunc_state *t = cls;
	size_t n;

	if (pos >= t->stop)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	n = t->stop - (size_t)pos;
	if (n > max)
		n = max;
	memcpy(out, t->data + pos, n);
	return (ssize_t)n;
}

static void trunc_free(void *cls)
{
	trunc_state *t = cls;

	free(t->data);
	free(t);
}

static enum MHD_Result send_challenge(struct MHD_Connection *conn,
				      const sim_ctx *ctx, const char *ntlm_value,
				      int bearer_error)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;
	buf b = BUF_INIT(4096);
	static const char body[] = "401 - Unauthorized: Access is denied due to invalid credentials.";

	resp = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
					       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "text/plain");
	if (bearer_error) {
		sim_httpauth_put_bearer_challenge(&b,
			"https://login.microsoftonline.com/common/oauth2/authorize",
			"invalid_token");
		MHD_add_response_header(resp, "WWW-Authenticate", buf_cstr(&b));
	} else {
		MHD_add_response_header(resp, "WWW-Authenticate",
					ntlm_value && *ntlm_value ? ntlm_value : "NTLM");
		sim_httpauth_put_basic_challenge(&b, ctx->org->domain);
		if (!ntlm_value || strncmp(ntlm_value, "NTLM ", 5) != 0)
			MHD_add_response_header(resp, "WWW-Authenticate",
						buf_cstr(&b));
	}
	buf_dispose(&b);
	rc = MHD_queue_response(conn, MHD_HTTP_UNAUTHORIZED, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* Authenticates the EWS request. 1 with *caller filled; 0 when a 401 was
 * queued (into *rc). */
static int authenticate(sim_caller *caller, enum MHD_Result *rc,
			struct MHD_Connection *conn, sim_ctx *ctx)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	sim_ntlm_conn *nc = ci ? (sim_ntlm_conn *)ci->socket_context : NULL;
	const char *value = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							 "Authorization");
	sim_httpauth auth = SIM_HTTPAUTH_INIT;
	errinfo err = ERRINFO_INIT;
	int ok = 0, idx;

	caller->user = caller->app = -1;
	caller->name[0] = '\0';
	if (sim_httpauth_parse(&auth, value, &err) < 0) {
		*rc = send_challenge(conn, ctx, NULL, 0);
		return 0;
	}
	switch (auth.scheme) {
	case SIM_AUTH_NONE:
		if (nc && sim_ntlm_conn_identity(nc)) {
			idx = sim_org_find_smtp(ctx->org, sim_ntlm_conn_identity(nc), NULL);
			if (idx >= 0) {
				caller->user = idx;
				ok = 1;
			}
		}
		if (!ok)
			*rc = send_challenge(conn, ctx, NULL, 0);
		break;
	case SIM_AUTH_BASIC:
		idx = sim_org_find_login(ctx->org, auth.user);
		if (idx >= 0 && ctx->org->users[idx].password &&
		    sim_ct_streq(auth.password, ctx->org->users[idx].password)) {
			caller->user = idx;
			ok = 1;
		} else {
			*rc = send_challenge(conn, ctx, NULL, 0);
		}
		break;
	case SIM_AUTH_NTLM:
	case SIM_AUTH_NEGOTIATE: {
		sim_ntlm_result res;

		if (!nc || (auth.scheme == SIM_AUTH_NEGOTIATE &&
			    !auth.negotiate_is_ntlm) ||
		    sim_ntlm_conn_step_parsed(&res, nc, ctx->ntlm, &auth, &err) < 0) {
			*rc = send_challenge(conn, ctx, NULL, 0);
			break;
		}
		if (res.outcome == SIM_NTLM_AUTHENTICATED) {
			idx = sim_org_find_smtp(ctx->org, res.smtp, NULL);
			if (idx >= 0) {
				caller->user = idx;
				ok = 1;
				break;
			}
		}
		if (res.outcome == SIM_NTLM_REJECTED && !ctx->quiet)
			log_info("ews-sim", "NTLM rejected: %s", res.reason);
		*rc = send_challenge(conn, ctx, res.www_authenticate, 0);
		break;
	}
	case SIM_AUTH_BEARER: {
		sim_token_identity id;

		if (sim_tokens_lookup(&id, ctx->tokens, auth.bearer) == SIM_TOKEN_VALID &&
		    (idx = sim_org_find_app(ctx->org, id.client_id)) >= 0) {
			caller->app = idx;
			snprintf(caller->name, sizeof(caller->name), "app:%s",
				 id.client_id);
			ok = 1;
		} else {
			*rc = send_challenge(conn, ctx, NULL, 1);
		}
		break;
	}
	default:
		*rc = send_challenge(conn, ctx, NULL, 0);
		break;
	}
	if (ok && caller->user >= 0)
		snprintf(caller->name, sizeof(caller->name), "%s",
			 ctx->org->users[caller->user].smtp);
	sim_httpauth_dispose(&auth);
	return ok;
}

static enum MHD_Result answer_ews(struct MHD_Connection *conn, sim_ctx *ctx,
				  upload *up, int *status);

/* Every request to the EWS URL is counted, challenges and handshake legs
 * included, with the status it got (0: the connection was dropped). */
static enum MHD_Result serve_ews(struct MHD_Connection *conn, sim_ctx *ctx,
				 upload *up)
{
	enum MHD_Result rc;
	int status = 0;

	sim_stats_http(ctx->stats, SIM_HTTP_BEGIN, 0);
	rc = answer_ews(conn, ctx, up, &status);
	sim_stats_http(ctx->stats, SIM_HTTP_END, rc == MHD_YES ? status : 0);
	return rc;
}

static enum MHD_Result answer_ews(struct MHD_Connection *conn, sim_ctx *ctx,
				  upload *up, int *status)
{
	sim_caller caller;
	sim_reply reply;
	enum MHD_Result rc = MHD_NO;
	struct MHD_Response *resp = NULL;

	*status = 401;
	if (!authenticate(&caller, &rc, conn, ctx))
		return rc;
	memset(&reply, 0, sizeof(reply));
	reply.body = (buf)BUF_INIT(SIM_REPLY_MAX);
	sim_ews_handle(&reply, ctx, &caller, up->body.ptr ? up->body.ptr : "",
		       up->body.len,
		       MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						   "X-AnchorMailbox"));
	if (!ctx->quiet)
		log_info("ews-sim", "POST /EWS/Exchange.asmx %d %s %s",
			 reply.status, reply.op[0] ? reply.op : "-", caller.name);
	if (reply.action == SIM_REPLY_RESET) {
		buf_dispose(&reply.body);
		*status = 0;
		return MHD_NO;
	}
	if (reply.status == 401 && reply.www_bearer) {
		buf_dispose(&reply.body);
		return send_challenge(conn, ctx, NULL, 1);
	}
	*status = reply.status;
	if (reply.action == SIM_REPLY_TRUNCATE) {
		trunc_state *t = calloc(1, sizeof(*t));

		if (t) {
			t->len = reply.body.len;
			t->stop = reply.body.len / 2;
			t->data = buf_detach(&reply.body);
			resp = MHD_create_response_from_callback(t->len, 4096,
								 trunc_read, t,
								 trunc_free);
			if (!resp)
				trunc_free(t);
		}
	} else {
		resp = MHD_create_response_from_buffer(reply.body.len,
						       reply.body.ptr ? reply.body.ptr : (void *)"",
						       MHD_RESPMEM_MUST_COPY);
	}
	buf_dispose(&reply.body);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", reply.content_type);
	if (reply.retry_after[0])
		MHD_add_response_header(resp, "Retry-After", reply.retry_after);
	{
		const char *rid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							      "client-request-id");

		if (rid)
			MHD_add_response_header(resp, "request-id", rid);
	}
	MHD_add_response_header(resp, "X-FEServer", "EXCH01");
	rc = MHD_queue_response(conn, (unsigned)reply.status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result serve_token(struct MHD_Connection *conn, sim_ctx *ctx,
				   const char *url, upload *up)
{
	sim_token_response tr = SIM_TOKEN_RESPONSE_INIT;
	errinfo err = ERRINFO_INIT;
	char tenant[256];
	const char *slash = strchr(url + 1, '/');
	enum MHD_Result rc;
	size_t n = slash ? (size_t)(slash - url - 1) : 0;

	sim_stats_http(ctx->stats, SIM_HTTP_TOKEN_REQUEST, 0);
	if (n == 0 || n >= sizeof(tenant))
		return send_text(conn, 404, "not found");
	memcpy(tenant, url + 1, n);
	tenant[n] = '\0';
	if (sim_tokens_handle_request(&tr, ctx->tokens, tenant,
				      MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
								  "Content-Type"),
				      up->body.ptr ? up->body.ptr : "",
				      up->body.len, &err) < 0) {
		sim_token_response_dispose(&tr);
		return send_text(conn, 500, err.msg);
	}
	if (!ctx->quiet)
		log_info("ews-sim", "POST %s %d %s", url, tr.http_status,
			 tr.error[0] ? tr.error : "token issued");
	rc = send_buf(conn, tr.http_status, "application/json; charset=utf-8",
		      tr.body ? tr.body : "{}", tr.body ? strlen(tr.body) : 2);
	sim_token_response_dispose(&tr);
	return rc;
}

static enum MHD_Result serve_sim(struct MHD_Connection *conn, sim_ctx *ctx,
				 const char *method, const char *url,
				 upload *up)
{
	errinfo err = ERRINFO_INIT;

	if (strcmp(url, "/sim/stats") == 0 && strcmp(method, "GET") == 0) {
		char *j = sim_stats_json(ctx->stats);
		enum MHD_Result rc;

		if (!j)
			return send_text(conn, 500, "out of memory");
		rc = send_buf(conn, 200, "application/json", j, strlen(j));
		free(j);
		return rc;
	}
	if (strcmp(method, "POST") != 0)
		return send_text(conn, 405, "method not allowed");
	if (strcmp(url, "/sim/faults") == 0) {
		if (sim_faults_set(ctx->faults, up->body.ptr ? up->body.ptr : "",
				   &err) < 0)
			return send_text(conn, 400, err.msg);
		return send_text(conn, 200, "ok");
	}
	if (strcmp(url, "/sim/reset") == 0) {
		int rc;

		pthread_mutex_lock(&ctx->lock);
		rc = sim_store_wipe(ctx->store, &err);
		if (rc == 0)
			rc = sim_seed_org(ctx, &err);
		if (rc == 0 && ctx->generate > 0)
			rc = sim_generate(ctx, ctx->generate, &err);
		pthread_mutex_unlock(&ctx->lock);
		sim_stats_reset(ctx->stats);
		sim_tokens_clear(ctx->tokens);
		sim_faults_set(ctx->faults, NULL, NULL);
		return rc < 0 ? send_text(conn, 500, err.msg) : send_text(conn, 200, "ok");
	}
	return send_text(conn, 404, "not found");
}

static int is_token_path(const char *url)
{
	const char *s = strchr(url + 1, '/');

	return s && strcmp(s, "/oauth2/v2.0/token") == 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *data_size, void **con_cls)
{
	sim_ctx *ctx = cls;
	upload *up = *con_cls;

	(void)version;
	if (!up) {
		up = calloc(1, sizeof(*up));
		if (!up)
			return MHD_NO;
		up->body = (buf)BUF_INIT(SIM_BODY_MAX);
		*con_cls = up;
		return MHD_YES;
	}
	if (*data_size) {
		if (!up->too_big && buf_put(&up->body, data, *data_size) < 0)
			up->too_big = 1;
		*data_size = 0;
		return MHD_YES;
	}
	if (up->too_big)
		return send_text(conn, 413, "413 Request Entity Too Large: the request body is larger than the sim's 32 MiB limit.");
	if (strcasecmp(url, "/EWS/Exchange.asmx") == 0) {
		if (strcmp(method, "POST") != 0)
			return send_text(conn, 405, "EWS accepts POST only.");
		return serve_ews(conn, ctx, up);
	}
	if (strncmp(url, "/sim/", 5) == 0)
		return serve_sim(conn, ctx, method, url, up);
	if (is_token_path(url) && strcmp(method, "POST") == 0)
		return serve_token(conn, ctx, url, up);
	return send_text(conn, 404, "404 - File or directory not found.");
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **con_cls, enum MHD_RequestTerminationCode toe)
{
	upload *up = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (up) {
		buf_dispose(&up->body);
		free(up);
		*con_cls = NULL;
	}
}

static void on_connection(void *cls, struct MHD_Connection *conn,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	sim_ctx *ctx = cls;

	(void)conn;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		sim_ntlm_conn *nc = NULL;

		sim_stats_http(ctx->stats, SIM_HTTP_CONNECTION, 0);
		if (sim_ntlm_conn_new(&nc, NULL) == 0)
			*socket_context = nc;
	} else {
		sim_ntlm_conn_free(*socket_context);
		*socket_context = NULL;
	}
}

/* ---- library API ---- */

static void ctx_dispose(sim_ctx *ctx)
{
	sim_ntlm_server_free(ctx->ntlm);
	sim_tokens_free(ctx->tokens);
	sim_faults_free(ctx->faults);
	sim_stats_free(ctx->stats);
	sim_store_close(ctx->store);
	sim_org_free(ctx->org);
}

int ews_sim_start(ews_sim **out, const ews_sim_options *opts, errinfo *err)
{
	ews_sim_options defaults = EWS_SIM_OPTIONS_INIT;
	sim_ntlm_options no = SIM_NTLM_OPTIONS_INIT;
	sim_tokens_options to = SIM_TOKENS_OPTIONS_INIT;
	struct sockaddr_in addr;
	const union MHD_DaemonInfo *info;
	char dns_computer[300];
	ews_sim *sim;
	int error;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return errinfo_set(err, ERR_NOMEM, "ews-sim: out of memory");
	sim->ctx.latency_ms = opts->latency_ms;
	sim->ctx.quiet = opts->quiet;
	sim->ctx.generate = opts->generate;
	pthread_mutex_init(&sim->ctx.lock, NULL);
	sim->lock_init = 1;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)opts->port);
	if (opts->port < 0 || opts->port > 65535 ||
	    inet_pton(AF_INET, opts->listen_host ? opts->listen_host : "127.0.0.1",
		      &addr.sin_addr) != 1) {
		error = errinfo_set(err, ERR_INVAL,
				    "ews-sim: --listen: \"%s:%d\" is not an IPv4 address and port (e.g. 127.0.0.1:0)",
				    opts->listen_host ? opts->listen_host : "",
				    opts->port);
		goto fail;
	}
	if ((error = sim_org_load(&sim->ctx.org, opts->org_path, opts->org_json,
				  err)) < 0 ||
	    (error = sim_store_open(&sim->ctx.store, opts->db_path, err)) < 0 ||
	    (error = sim_stats_new(&sim->ctx.stats, err)) < 0 ||
	    (error = sim_faults_new(&sim->ctx.faults, err)) < 0 ||
	    (error = sim_faults_set(sim->ctx.faults, opts->faults, err)) < 0)
		goto fail;
	snprintf(dns_computer, sizeof(dns_computer), "exch01.%s",
		 sim->ctx.org->domain);
	no.nb_domain = sim->ctx.org->netbios;
	no.dns_domain = sim->ctx.org->domain;
	no.dns_computer = dns_computer;
	no.lookup = ntlm_lookup;
	no.payload = &sim->ctx;
	to.app_lookup = app_lookup;
	to.payload = &sim->ctx;
	if ((error = sim_ntlm_server_new(&sim->ctx.ntlm, &no, err)) < 0 ||
	    (error = sim_tokens_new(&sim->ctx.tokens, &to, err)) < 0 ||
	    (error = sim_seed_org(&sim->ctx, err)) < 0)
		goto fail;
	if (opts->generate > 0 &&
	    (error = sim_generate(&sim->ctx, opts->generate, err)) < 0)
		goto fail;
	sim->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
		MHD_USE_POLL, 0, NULL, NULL, on_request, &sim->ctx,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, &sim->ctx,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
		MHD_OPTION_END);
	if (!sim->daemon) {
		error = errinfo_set(err, ERR_IO,
				    "ews-sim: cannot listen on %s:%d (port in use?)",
				    opts->listen_host ? opts->listen_host : "127.0.0.1",
				    opts->port);
		goto fail;
	}
	info = MHD_get_daemon_info(sim->daemon, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(sim->url, sizeof(sim->url), "http://%s:%u",
		 opts->listen_host ? opts->listen_host : "127.0.0.1",
		 info ? (unsigned)info->port : (unsigned)opts->port);
	*out = sim;
	return 0;
fail:
	ews_sim_stop(sim);
	return error < 0 ? error : ERR_GENERIC;
}

const char *ews_sim_url(const ews_sim *sim)
{
	return sim ? sim->url : NULL;
}

void ews_sim_stop(ews_sim *sim)
{
	if (!sim)
		return;
	if (sim->daemon)
		MHD_stop_daemon(sim->daemon);
	ctx_dispose(&sim->ctx);
	if (sim->lock_init)
		pthread_mutex_destroy(&sim->ctx.lock);
	free(sim);
}
