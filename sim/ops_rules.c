/* ops_rules.c - GetInboxRules / UpdateInboxRules. Rules are kept per
 * mailbox as JSON [{"id", "priority", "xml"}] where xml is the rule
 * re-written in the types namespace (every element re-emitted through the
 * escaping writer, so nothing from the request is copied verbatim).
 * Rules are stored and returned; the sim does not run them on delivery. */
#include "sim/sim_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soap/escape.h"

/* Re-emits el (and its subtree) as t: elements; RuleId children skipped. */
static void copy_as_t(buf *b, const xmlNode *el)
{
	xmlAttr *a;
	xmlNode *c;
	int has_el = 0;

	buf_printf(b, "<t:%s", (const char *)el->name);
	for (a = el->properties; a; a = a->next) {
		xmlChar *v = xmlNodeGetContent((xmlNode *)a);

		buf_printf(b, " %s=\"", (const char *)a->name);
		soap_put_attr(b, v ? (const char *)v : "");
		buf_putc(b, '"');
		xmlFree(v);
	}
	buf_putc(b, '>');
	for (c = el->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			has_el = 1;
	if (has_el) {
		for (c = el->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && !sim_x_is(c, "RuleId"))
				copy_as_t(b, c);
	} else {
		char *t = sim_x_text(el);

		soap_put_text(b, t ? t : "");
		free(t);
	}
	buf_printf(b, "</t:%s>", (const char *)el->name);
}

static int rules_target(sim_req *r, const xmlNode *op, sim_status *st)
{
	char *addr = sim_x_child_text(op, "MailboxSmtpAddress");
	int u = r->actor;

	if (addr && *addr) {
		u = sim_org_find_smtp(r->ctx->org, addr, NULL);
		if (u < 0)
			u = sim_fail(st, "ErrorNonExistentMailbox");
		else if (u != r->actor)
			u = sim_fail(st, "ErrorAccessDenied");
	}
	free(addr);
	return u;
}

static json_t *load_rules(sim_req *r, int u)
{
	char *text = NULL;
	json_t *rules;

	sim_store_mailbox_get(&text, r->ctx->store, SIM_MBX(u), "rules", NULL);
	rules = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	return json_is_array(rules) ? rules : (json_decref(rules), json_array());
}

int sim_op_get_inbox_rules(sim_req *r, const xmlNode *op)
{
	sim_status st = { 0 };
	int u = rules_target(r, op, &st);
	json_t *rules, *e;
	size_t i;

	buf_printf(r->out, "<m:GetInboxRulesResponse ResponseClass=\"%s\">",
		   u < 0 ? "Error" : "Success");
	if (u < 0) {
		buf_puts(r->out, "<m:MessageText>");
		soap_put_text(r->out, st.text);
		buf_printf(r->out, "</m:MessageText><m:ResponseCode>%s</m:ResponseCode>"
			   "<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>"
			   "</m:GetInboxRulesResponse>", st.code);
		return 0;
	}
	rules = load_rules(r, u);
	buf_puts(r->out, "<m:ResponseCode>NoError</m:ResponseCode>"
		 "<m:OutlookRuleBlobExists>false</m:OutlookRuleBlobExists><m:InboxRules>");
	json_array_foreach(rules, i, e) {
		const char *xml = json_string_value(json_object_get(e, "xml"));
		const char *id = json_string_value(json_object_get(e, "id"));

		/* <t:Rule> then RuleId first, then the stored children */
		buf_puts(r->out, "<t:Rule><t:RuleId>");
		soap_put_text(r->out, id ? id : "");
		buf_puts(r->out, "</t:RuleId>");
		if (xml && strlen(xml) > 8)
			buf_put(r->out, xml + 8, strlen(xml) - 8);  /* after "<t:Rule>" */
	}
	buf_puts(r->out, "</m:InboxRules></m:GetInboxRulesResponse>");
	json_decref(rules);
	return 0;
}

static int find_rule(const json_t *rules, const char *id)
{
	json_t *e;
	size_t i;

	json_array_foreach(rules, i, e)
		if (id && strcmp(json_string_value(json_object_get(e, "id")), id) == 0)
			return (int)i;
	return -1;
}

int sim_op_update_inbox_rules(sim_req *r, const xmlNode *op)
{
	sim_status st = { 0 };
	int u = rules_target(r, op, &st);
	xmlNode *ops = sim_x_child(op, "Operations"), *o;
	json_t *rules = NULL;
	buf errs = BUF_INIT(1 << 20);
	int index = 0, nerr = 0;
	char *dump;
	static unsigned long seq;

	if (u >= 0) {
		rules = load_rules(r, u);
		for (o = sim_x_child(ops, NULL); o; o = sim_x_next(o, NULL), index++) {
			xmlNode *rule = sim_x_child(o, "Rule");
			char *id = sim_x_child_text(sim_x_is(o, "DeleteRuleOperation") ? o : rule,
						    "RuleId");
			int at = find_rule(rules, id);
			const char *bad = NULL;

			if (sim_x_is(o, "CreateRuleOperation") && rule) {
				buf x = BUF_INIT(1 << 20);
				char nid[32];

				copy_as_t(&x, rule);
				snprintf(nid, sizeof(nid), "AQAAAA%08lX=", ++seq + (unsigned long)sim_now());
				json_array_append_new(rules, json_pack("{s:s, s:s}", "id", nid,
								       "xml", buf_cstr(&x)));
				buf_dispose(&x);
			} else if (sim_x_is(o, "SetRuleOperation") && rule) {
				if (at < 0) {
					bad = "RuleNotFound";
				} else {
					buf x = BUF_INIT(1 << 20);

					copy_as_t(&x, rule);
					json_object_set_new(json_array_get(rules, (size_t)at), "xml",
							    json_string(buf_cstr(&x)));
					buf_dispose(&x);
				}
			} else if (sim_x_is(o, "DeleteRuleOperation")) {
				if (at < 0)
					bad = "RuleNotFound";
				else
					json_array_remove(rules, (size_t)at);
			} else {
				bad = "InvalidValue";
			}
			if (bad) {
				nerr++;
				buf_printf(&errs, "<t:RuleOperationError><t:OperationIndex>%d"
					   "</t:OperationIndex><t:ValidationErrors><t:Error>"
					   "<t:FieldURI>RuleId</t:FieldURI><t:ErrorCode>%s</t:ErrorCode>"
					   "<t:ErrorMessage>The rule id does not name a rule of this mailbox.</t:ErrorMessage>"
					   "<t:FieldValue>", index, bad);
				soap_put_text(&errs, id ? id : "");
				buf_puts(&errs, "</t:FieldValue></t:Error></t:ValidationErrors>"
					 "</t:RuleOperationError>");
			}
			free(id);
		}
		if (nerr) {
			sim_fail(&st, "ErrorInboxRulesValidationError");
			snprintf(st.text, sizeof(st.text),
				 "One or more rule operations failed validation; no rule was changed.");
		} else {
			dump = json_dumps(rules, JSON_COMPACT);
			if (!dump || sim_store_mailbox_set(r->ctx->store, SIM_MBX(u), "rules",
							   dump, NULL) < 0)
				sim_fail(&st, "ErrorInternalServerError");
			free(dump);
		}
	}
	buf_printf(r->out, "<m:UpdateInboxRulesResponse ResponseClass=\"%s\">",
		   st.code ? "Error" : "Success");
	if (st.code) {
		buf_puts(r->out, "<m:MessageText>");
		soap_put_text(r->out, st.text);
		buf_printf(r->out, "</m:MessageText><m:ResponseCode>%s</m:ResponseCode>"
			   "<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>", st.code);
		if (nerr)
			buf_printf(r->out, "<m:RuleOperationErrors>%s</m:RuleOperationErrors>",
				   buf_cstr(&errs));
	} else {
		buf_puts(r->out, "<m:ResponseCode>NoError</m:ResponseCode>");
	}
	buf_puts(r->out, "</m:UpdateInboxRulesResponse>");
	buf_dispose(&errs);
	json_decref(rules);
	return 0;
}
