/* generate.c - --generate N: fills every mailbox with N messages and a
 * proportional number of calendar items (N/10), contacts and tasks
 * (N/20 each, at least one), deterministically (a fixed-seed generator
 * per mailbox), in one transaction, for benchmarks. */
#include "sim/sim_int.h"

#include <stdio.h>
#include <string.h>

static const char *const topics[] = { "Quarterly forecast", "Invoice",
	"Project kickoff", "Contract renewal", "Team offsite", "Budget review",
	"Customer escalation", "Release plan", "Hiring update", "Security notice",
	"Travel booking", "Weekly report", "Pricing proposal", "Roadmap",
	"Board deck", "Support ticket" };
static const char *const words[] = { "please", "review", "the", "attached",
	"numbers", "before", "Friday", "we", "need", "sign-off", "from",
	"finance", "and", "legal", "thanks", "regards", "update", "on", "status",
	"customer", "timeline", "risk", "next", "steps" };
static const char *const firsts[] = { "Anna", "Ben", "Chloe", "David", "Eva",
	"Farid", "Grace", "Hiro", "Ines", "Jonas", "Karin", "Liam" };
static const char *const lasts[] = { "Berg", "Costa", "Dubois", "Evans",
	"Fischer", "Garcia", "Hansen", "Ito", "Jensen", "Kowalski" };

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static unsigned long next(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

static int gen_mailbox(sim_ctx *ctx, int u, long n, errinfo *err)
{
	const sim_org *org = ctx->org;
	unsigned long seed = 0x5EED0000UL + (unsigned long)u;
	sim_folder inbox, cal, con, task;
	int64_t base = sim_now();
	long i, ncal = n / 10, nsmall = n / 20 > 0 ? n / 20 : 1;
	char subj[200], body[1200], name[100], email[200];
	int rc = 0;

	if (sim_store_folder_dist(&inbox, ctx->store, SIM_MBX(u), "inbox", err) < 0 ||
	    sim_store_folder_dist(&cal, ctx->store, SIM_MBX(u), "calendar", err) < 0 ||
	    sim_store_folder_dist(&con, ctx->store, SIM_MBX(u), "contacts", err) < 0 ||
	    sim_store_folder_dist(&task, ctx->store, SIM_MBX(u), "tasks", err) < 0)
		return err->code;
	for (i = 0; i < n && rc == 0; i++) {
		int from = (int)(next(&seed) % org->nusers);
		size_t w, o = 0;
		sim_item it;

		snprintf(subj, sizeof(subj), "%s #%ld", topics[next(&seed) % N_OF(topics)], i + 1);
		o += (size_t)snprintf(body, sizeof(body), "<html><body><p>");
		for (w = 0; w < 40 && o < sizeof(body) - 40; w++)
			o += (size_t)snprintf(body + o, sizeof(body) - o, "%s ",
					      words[next(&seed) % N_OF(words)]);
		snprintf(body + o, sizeof(body) - o, "</p></body></html>");
		memset(&it, 0, sizeof(it));
		snprintf(it.kind, sizeof(it.kind), "Message");
		it.mailbox = SIM_MBX(u);
		it.folder = inbox.id;
		it.props = json_pack("{s:s, s:{s:s, s:s}, s:o, s:[o], s:I, s:I, s:b, s:b, s:s}",
				     "Subject", subj, "Body", "type", "HTML", "text", body,
				     "From", sim_mbx_new(org->users[from].name, org->users[from].smtp),
				     "ToRecipients", sim_mbx_new(org->users[u].name, org->users[u].smtp),
				     "DateTimeReceived", (json_int_t)(base - 60 * (i + 1) - (int64_t)(next(&seed) % 50)),
				     "DateTimeSent", (json_int_t)(base - 60 * (i + 1) - 60),
				     "IsRead", next(&seed) % 3 != 0, "HasAttachments", 0,
				     "Importance", next(&seed) % 10 == 0 ? "High" : "Normal");
		rc = it.props ? sim_store_item_insert(ctx->store, &it, err)
			      : errinfo_set(err, ERR_NOMEM, "generate: out of memory");
		sim_item_dispose(&it);
	}
	for (i = 0; i < ncal && rc == 0; i++) {
		int64_t start = base - 86400L * 30 + 3600L * (int64_t)(i * 7 % (24 * 60));
		sim_item it;

		snprintf(subj, sizeof(subj), "%s sync %ld", topics[next(&seed) % N_OF(topics)], i + 1);
		memset(&it, 0, sizeof(it));
		snprintf(it.kind, sizeof(it.kind), "CalendarItem");
		it.mailbox = SIM_MBX(u);
		it.folder = cal.id;
		it.props = json_pack("{s:s, s:I, s:I, s:s, s:s, s:o, s:s, s:s}",
				     "Subject", subj, "Start", (json_int_t)start,
				     "End", (json_int_t)(start + 1800 * (1 + (int64_t)(next(&seed) % 4))),
				     "Location", "Room 4.12", "LegacyFreeBusyStatus", "Busy",
				     "Organizer", sim_mbx_new(org->users[u].name, org->users[u].smtp),
				     "CalendarItemType", "Single", "MyResponseType", "Organizer");
		rc = it.props ? sim_store_item_insert(ctx->store, &it, err)
			      : errinfo_set(err, ERR_NOMEM, "generate: out of memory");
		sim_item_dispose(&it);
	}
	for (i = 0; i < nsmall && rc == 0; i++) {
		const char *f = firsts[next(&seed) % N_OF(firsts)];
		const char *l = lasts[next(&seed) % N_OF(lasts)];
		sim_item c, t;

		snprintf(name, sizeof(name), "%s %s", f, l);
		snprintf(email, sizeof(email), "%c%s.%ld@fabrikam.test", f[0], l, i);
		memset(&c, 0, sizeof(c));
		snprintf(c.kind, sizeof(c.kind), "Contact");
		c.mailbox = SIM_MBX(u);
		c.folder = con.id;
		c.props = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s}, s:s}",
				    "Subject", name, "DisplayName", name, "FileAs", name,
				    "GivenName", f, "Surname", l,
				    "EmailAddresses", "EmailAddress1", email,
				    "CompanyName", "Fabrikam");
		rc = c.props ? sim_store_item_insert(ctx->store, &c, err)
			     : errinfo_set(err, ERR_NOMEM, "generate: out of memory");
		sim_item_dispose(&c);
		if (rc < 0)
			break;
		snprintf(subj, sizeof(subj), "Follow up: %s", topics[next(&seed) % N_OF(topics)]);
		memset(&t, 0, sizeof(t));
		snprintf(t.kind, sizeof(t.kind), "Task");
		t.mailbox = SIM_MBX(u);
		t.folder = task.id;
		t.props = json_pack("{s:s, s:I, s:s, s:b, s:f}", "Subject", subj,
				    "DueDate", (json_int_t)(base + 86400L * (i % 30)),
				    "Status", "NotStarted", "IsComplete", 0,
				    "PercentComplete", 0.0);
		rc = t.props ? sim_store_item_insert(ctx->store, &t, err)
			     : errinfo_set(err, ERR_NOMEM, "generate: out of memory");
		sim_item_dispose(&t);
	}
	sim_folder_dispose(&inbox);
	sim_folder_dispose(&cal);
	sim_folder_dispose(&con);
	sim_folder_dispose(&task);
	return rc;
}

int sim_generate(sim_ctx *ctx, long n, errinfo *err)
{
	size_t u;
	int rc = 0;

	if (n <= 0)
		return 0;
	if (sim_store_begin(ctx->store, err) < 0)
		return err->code;
	for (u = 0; u < ctx->org->nusers && rc == 0; u++)
		rc = gen_mailbox(ctx, (int)u, n, err);
	if (rc < 0) {
		sim_store_rollback(ctx->store);
		return rc;
	}
	return sim_store_commit(ctx->store, err);
}
