/* fake_ews.h - a scripted stand-in for Exchange, for the ews tests that
 * need exact control over answers (faults, lost responses, 401s) which
 * the stateful ews-sim does not script. Header-only so each test program
 * that wants it includes it (the test build compiles test_*.c only).
 *
 * POST .../oauth2/v2.0/token answers a bearer token "tok-<n>"; every
 * other POST is recorded (body, X-AnchorMailbox, Authorization) and
 * answered with the next scripted reply, or the default reply. A reply
 * with drop set closes the connection without answering: the client saw
 * its request leave and no answer come back. Binds 127.0.0.1:0.
 */
#ifndef FAKE_EWS_H
#define FAKE_EWS_H

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_MAX 128

typedef struct fake_reply {
	int status;
	const char *body;
	const char *retry_after;
	int drop;
} fake_reply;

typedef struct fake_ews {
	struct MHD_Daemon *daemon;
	int port;
	char url[128];
	pthread_mutex_t lock;
	fake_reply script[32];
	int nscript, next;
	fake_reply dflt;
	int requests;                 /* EWS POSTs */
	int token_requests;
	int reject_bearer_below;      /* 401 for tokens tok-n, n < this */
	const char *token_error;      /* token endpoint answers 401 + this */
	char *bodies[FAKE_MAX];
	char anchors[FAKE_MAX][256];
	char auth[FAKE_MAX][256];
} fake_ews;

typedef struct fake_conn {
	char *data;
	size_t len;
} fake_conn;

#define FAKE_NS_M "http://schemas.microsoft.com/exchange/services/2006/messages"
#define FAKE_NS_T "http://schemas.microsoft.com/exchange/services/2006/types"
#define FAKE_ENV(x) \
	"<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=" \
	"\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" x \
	"</s:Body></s:Envelope>"
#define FAKE_FAULT(code, text, extra) FAKE_ENV( \
	"<s:Fault><faultcode xmlns:a=\"" FAKE_NS_T "\">a:" code "</faultcode>" \
	"<faultstring xml:lang=\"en-US\">" text "</faultstring><detail>" \
	"<e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/exchange/" \
	"services/2006/errors\">" code "</e:ResponseCode><e:Message xmlns:e=" \
	"\"http://schemas.microsoft.com/exchange/services/2006/errors\">" text \
	"</e:Message>" extra "</detail></s:Fault>")
#define FAKE_BACKOFF(ms) \
	"<t:MessageXml xmlns:t=\"" FAKE_NS_T "\"><t:Value Name=" \
	"\"BackOffMilliseconds\">" ms "</t:Value></t:MessageXml>"
#define FAKE_FIND_ITEM_OK FAKE_ENV( \
	"<m:FindItemResponse xmlns:m=\"" FAKE_NS_M "\" xmlns:t=\"" FAKE_NS_T \
	"\"><m:ResponseMessages><m:FindItemResponseMessage ResponseClass=" \
	"\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:RootFolder " \
	"TotalItemsInView=\"0\" IncludesLastItemInRange=\"true\"><t:Items/>" \
	"</m:RootFolder></m:FindItemResponseMessage></m:ResponseMessages>" \
	"</m:FindItemResponse>")
#define FAKE_FIND_ITEM_ERROR(code, text) FAKE_ENV( \
	"<m:FindItemResponse xmlns:m=\"" FAKE_NS_M "\" xmlns:t=\"" FAKE_NS_T \
	"\"><m:ResponseMessages><m:FindItemResponseMessage ResponseClass=" \
	"\"Error\"><m:MessageText>" text "</m:MessageText><m:ResponseCode>" \
	code "</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>" \
	"</m:FindItemResponseMessage></m:ResponseMessages></m:FindItemResponse>")
#define FAKE_CREATE_ITEM_OK FAKE_ENV( \
	"<m:CreateItemResponse xmlns:m=\"" FAKE_NS_M "\" xmlns:t=\"" FAKE_NS_T \
	"\"><m:ResponseMessages><m:CreateItemResponseMessage ResponseClass=" \
	"\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:Items>" \
	"<t:Message><t:ItemId Id=\"AAMkDRAFT1\" ChangeKey=\"CQAAAA1\"/>" \
	"</t:Message></m:Items></m:CreateItemResponseMessage>" \
	"</m:ResponseMessages></m:CreateItemResponse>")
#define FAKE_CREATE_ITEM_SENT FAKE_ENV( \
	"<m:CreateItemResponse xmlns:m=\"" FAKE_NS_M "\" xmlns:t=\"" FAKE_NS_T \
	"\"><m:ResponseMessages><m:CreateItemResponseMessage ResponseClass=" \
	"\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:Items/>" \
	"</m:CreateItemResponseMessage></m:ResponseMessages>" \
	"</m:CreateItemResponse>")
#define FAKE_SEND_ITEM_OK FAKE_ENV( \
	"<m:SendItemResponse xmlns:m=\"" FAKE_NS_M "\"><m:ResponseMessages>" \
	"<m:SendItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>" \
	"NoError</m:ResponseCode></m:SendItemResponseMessage>" \
	"</m:ResponseMessages></m:SendItemResponse>")

static enum MHD_Result fake_handler(void *cls, struct MHD_Connection *conn,
				    const char *url, const char *method,
				    const char *version, const char *data,
				    size_t *data_size, void **con_cls)
{
	fake_ews *f = cls;
	fake_conn *c = *con_cls;
	struct MHD_Response *resp;
	fake_reply r;
	enum MHD_Result ret;
	char tokbody[1024];
	const char *bearer = NULL;

	(void)method;
	(void)version;
	if (!c) {
		c = calloc(1, sizeof(*c));
		*con_cls = c;
		return MHD_YES;
	}
	if (*data_size) {
		c->data = realloc(c->data, c->len + *data_size + 1);
		memcpy(c->data + c->len, data, *data_size);
		c->len += *data_size;
		c->data[c->len] = '\0';
		*data_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&f->lock);
	if (strstr(url, "/oauth2/v2.0/token")) {
		f->token_requests++;
		if (f->token_error) {
			snprintf(tokbody, sizeof(tokbody), "%s", f->token_error);
			r.status = 401;
			r.body = tokbody;
			r.retry_after = NULL;
			r.drop = 0;
			goto answer;
		}
		snprintf(tokbody, sizeof(tokbody),
			 "{\"token_type\":\"Bearer\",\"expires_in\":3599,"
			 "\"access_token\":\"tok-%d\"}", f->token_requests);
		r.status = 200;
		r.body = tokbody;
		r.retry_after = NULL;
		r.drop = 0;
	} else {
		int n = f->requests++;

		if (n < FAKE_MAX) {
			const char *a = MHD_lookup_connection_value(conn,
				MHD_HEADER_KIND, "X-AnchorMailbox");
			const char *z = MHD_lookup_connection_value(conn,
				MHD_HEADER_KIND, "Authorization");

			f->bodies[n] = strdup(c->data ? c->data : "");
			snprintf(f->anchors[n], sizeof(f->anchors[n]), "%s",
				 a ? a : "");
			snprintf(f->auth[n], sizeof(f->auth[n]), "%s", z ? z : "");
		}
		bearer = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     "Authorization");
		if (bearer && strncmp(bearer, "Bearer tok-", 11) == 0 &&
		    atoi(bearer + 11) < f->reject_bearer_below) {
			r.status = 401;
			r.body = "";
			r.retry_after = NULL;
			r.drop = 0;
		} else if (f->next < f->nscript) {
			r = f->script[f->next++];
		} else {
			r = f->dflt;
		}
	}
answer:
	pthread_mutex_unlock(&f->lock);
	if (r.drop)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(strlen(r.body), (void *)r.body,
					       MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(resp, "Content-Type", "text/xml; charset=utf-8");
	MHD_add_response_header(resp, "request-id", "fake-request-id");
	if (r.status == 401 && bearer)
		MHD_add_response_header(resp, "WWW-Authenticate",
					"Bearer error=\"invalid_token\"");
	if (r.retry_after)
		MHD_add_response_header(resp, "Retry-After", r.retry_after);
	ret = MHD_queue_response(conn, (unsigned)r.status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void fake_completed(void *cls, struct MHD_Connection *conn,
			   void **con_cls, enum MHD_RequestTerminationCode toe)
{
	fake_conn *c = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (c) {
		free(c->data);
		free(c);
		*con_cls = NULL;
	}
}

static inline fake_ews *fake_start(void)
{
	fake_ews *f = calloc(1, sizeof(*f));
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;

	pthread_mutex_init(&f->lock, NULL);
	f->dflt.status = 500;
	f->dflt.body = FAKE_FAULT("ErrorInvalidRequest", "The request is invalid.",
				  "");
	f->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
				     MHD_USE_THREAD_PER_CONNECTION,
				     0, NULL, NULL, fake_handler, f,
				     MHD_OPTION_NOTIFY_COMPLETED, fake_completed, f,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				     MHD_OPTION_END);
	if (!f->daemon)
		return NULL;
	info = MHD_get_daemon_info(f->daemon, MHD_DAEMON_INFO_BIND_PORT);
	f->port = info->port;
	snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%d/EWS/Exchange.asmx",
		 f->port);
	return f;
}

static inline void fake_push(fake_ews *f, int status, const char *body,
		      const char *retry_after, int drop)
{
	pthread_mutex_lock(&f->lock);
	f->script[f->nscript].status = status;
	f->script[f->nscript].body = body;
	f->script[f->nscript].retry_after = retry_after;
	f->script[f->nscript].drop = drop;
	f->nscript++;
	pthread_mutex_unlock(&f->lock);
}

static inline int fake_requests(fake_ews *f)
{
	int n;

	pthread_mutex_lock(&f->lock);
	n = f->requests;
	pthread_mutex_unlock(&f->lock);
	return n;
}

static inline void fake_stop(fake_ews *f)
{
	int i;

	if (!f)
		return;
	MHD_stop_daemon(f->daemon);
	for (i = 0; i < FAKE_MAX; i++)
		free(f->bodies[i]);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

#endif
