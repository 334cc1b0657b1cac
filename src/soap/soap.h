/* soap.h - the whole public API of src/soap in one include.
 *
 * escape.h (text to XML), envelope.h (SOAP envelope and headers),
 * types.h / ids.h / query.h / item_write.h (request building blocks),
 * req_*.h (one builder per EWS operation), reader.h (parse and classify a
 * response) and read_*.h (response payloads as JSON).
 */
#ifndef INCLUDE_soap_soap_h__
#define INCLUDE_soap_soap_h__

#include "soap/escape.h"
#include "soap/envelope.h"
#include "soap/types.h"
#include "soap/ids.h"
#include "soap/query.h"
#include "soap/item_write.h"
#include "soap/req_items.h"
#include "soap/req_folders.h"
#include "soap/req_availability.h"
#include "soap/req_oof.h"
#include "soap/req_misc.h"
#include "soap/reader.h"
#include "soap/read_items.h"
#include "soap/read_folders.h"
#include "soap/read_other.h"

#endif
