/* rights.h - who may do what in which mailbox: ApplicationImpersonation
 * scopes, OAuth app mailbox scopes, delegate folder permissions, send-as
 * and send-on-behalf. Pure functions of the org; no I/O.
 */
#ifndef INCLUDE_sim_rights_h__
#define INCLUDE_sim_rights_h__

#include "sim/org.h"

typedef enum sim_action {
	SIM_ACT_READ = 0,
	SIM_ACT_CREATE,
	SIM_ACT_MODIFY,
	SIM_ACT_DELETE
} sim_action;

/* Folder category for delegate permissions: SIM_PF_* or this value for
 * folders only the owner may use (mailbox root, recoverable items). */
#define SIM_PF_OWNER_ONLY SIM_PF_COUNT

/* 1 if account holds an ApplicationImpersonation assignment covering
 * target, else 0. */
int sim_rights_can_impersonate(const sim_org *org, int account, int target);

/* 1 if the OAuth app (org index) may act on target (full_access_as_app
 * and, when scoped, target in its mailbox list). */
int sim_rights_app_covers(const sim_org *org, int app, int target);

/* 1 if actor may perform act on a folder of category pf in owner's
 * mailbox (the owner always may; delegates per their level:
 * Reviewer reads, Author also creates, Editor also changes and deletes). */
int sim_rights_folder(const sim_org *org, int actor, int owner, int pf,
		      sim_action act);

/* Send check for From = from by actor. 1 allowed (*on_behalf = 1 when
 * the message must carry Sender = actor), 0 denied (ErrorSendAsDenied). */
int sim_rights_send_from(const sim_org *org, int actor, int from,
			 int *on_behalf);

/* The category of a distinguished folder name ("inbox" -> SIM_PF_INBOX). */
int sim_rights_category(const char *dist);

#endif
