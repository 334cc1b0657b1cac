/* rights.c - impersonation scopes, delegate permissions, send rights
 * (see rights.h). Mirrors Exchange's model: an ApplicationImpersonation
 * assignment lets the account act as the owner of every mailbox in its
 * scope; a delegate acts with their own identity and the folder levels the
 * owner granted; send-as and send-on-behalf are separate grants. */
#include "sim/rights.h"

#include <string.h>
#include <strings.h>

int sim_rights_can_impersonate(const sim_org *org, int account, int target)
{
	size_t i, j;

	if (account < 0 || target < 0)
		return 0;
	for (i = 0; i < org->nimps; i++) {
		const sim_impersonation *imp = &org->imps[i];

		if (imp->account != account)
			continue;
		switch (imp->kind) {
		case SIM_SCOPE_ALL:
			return 1;
		case SIM_SCOPE_DEPARTMENT:
			if (strcasecmp(imp->department,
				       org->users[target].department) == 0)
				return 1;
			break;
		case SIM_SCOPE_LIST:
			for (j = 0; j < imp->nmailboxes; j++)
				if (imp->mailboxes[j] == target)
					return 1;
			break;
		}
	}
	return 0;
}

int sim_rights_app_covers(const sim_org *org, int app, int target)
{
	const sim_org_app *a;
	size_t j;

	if (app < 0 || (size_t)app >= org->napps || target < 0)
		return 0;
	a = &org->apps[app];
	if (!a->full_access)
		return 0;
	if (!a->scoped)
		return 1;
	for (j = 0; j < a->nmailboxes; j++)
		if (a->mailboxes[j] == target)
			return 1;
	return 0;
}

int sim_rights_folder(const sim_org *org, int actor, int owner, int pf,
		      sim_action act)
{
	const sim_delegate *d;
	sim_perm level;

	if (actor >= 0 && actor == owner)
		return 1;
	if (pf < 0 || pf >= SIM_PF_COUNT)
		return 0;
	d = sim_org_delegate(org, owner, actor);
	if (!d)
		return 0;
	level = d->perm[pf];
	switch (act) {
	case SIM_ACT_READ:
		return level >= SIM_PERM_REVIEWER;
	case SIM_ACT_CREATE:
		return level >= SIM_PERM_AUTHOR;
	case SIM_ACT_MODIFY:
	case SIM_ACT_DELETE:
		return level >= SIM_PERM_EDITOR;
	}
	return 0;
}

int sim_rights_send_from(const sim_org *org, int actor, int from,
			 int *on_behalf)
{
	const sim_delegate *d;
	size_t i;

	*on_behalf = 0;
	if (actor == from)
		return 1;
	for (i = 0; i < org->nsend_as; i++)
		if (org->send_as[i].mailbox == from &&
		    org->send_as[i].account == actor)
			return 1;
	d = sim_org_delegate(org, from, actor);
	if (d && d->send_on_behalf) {
		*on_behalf = 1;
		return 1;
	}
	return 0;
}

int sim_rights_category(const char *dist)
{
	if (!dist || !*dist)
		return SIM_PF_INBOX;
	if (strcmp(dist, "calendar") == 0)
		return SIM_PF_CALENDAR;
	if (strcmp(dist, "contacts") == 0)
		return SIM_PF_CONTACTS;
	if (strcmp(dist, "tasks") == 0)
		return SIM_PF_TASKS;
	if (strcmp(dist, "root") == 0 || strcmp(dist, "msgfolderroot") == 0 ||
	    strncmp(dist, "recoverableitems", 16) == 0)
		return SIM_PF_OWNER_ONLY;
	return SIM_PF_INBOX;
}
