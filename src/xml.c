/*
 * xml.c - a small tree over expat for AWS responses.
 *
 * The parser is expat without namespace processing; a prefix ("s3:Key") is
 * cut from each element name so callers match local names only.  AWS never
 * sends a document type declaration, so any DOCTYPE is refused: that shuts
 * out declared entities (billion laughs, external entities) in one place,
 * and an undeclared entity reference is already an expat error.  Attributes
 * are dropped; no caller needs them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "util.h"
#include "xml.h"

struct open_elem {
	struct xml_node *node;
	struct xml_node *last;	/* last child, for appending in order */
	struct buf text;
};

struct xml_parser {
	XML_Parser expat;
	struct xml_node *root;
	struct open_elem stack[XML_MAX_DEPTH];
	int depth;
	size_t nodes;
	char *err;
	size_t errlen;
	int failed;
};

static void
node_free(struct xml_node *n)
{
	struct xml_node *next;

	while (n != NULL) {
		next = n->next;
		node_free(n->child);
		free(n->name);
		if (n->text != NULL)	/* STS answers hold secret keys */
			wipe(n->text, strlen(n->text));
		free(n->text);
		free(n);
		n = next;
	}
}

void
xml_free(struct xml_node *root)
{
	node_free(root);
}

static void
fail(struct xml_parser *x, const char *msg)
{
	if (!x->failed) {
		snprintf(x->err, x->errlen, "line %lu column %lu: %s",
		    (unsigned long)XML_GetCurrentLineNumber(x->expat),
		    (unsigned long)XML_GetCurrentColumnNumber(x->expat) + 1,
		    msg);
		x->failed = 1;
	}
	XML_StopParser(x->expat, XML_FALSE);
}

/* "ns:Name" -> "Name": AWS documents use a default namespace or a prefix. */
static const char *
local_name(const char *name)
{
	const char *colon = strrchr(name, ':');

	return colon != NULL && colon[1] != '\0' ? colon + 1 : name;
}

static struct xml_node *
node_new(const char *name)
{
	struct xml_node *n = calloc(1, sizeof *n);

	if (n == NULL)
		return NULL;
	n->name = strdup(local_name(name));
	if (n->name == NULL) {
		free(n);
		return NULL;
	}
	return n;
}

static void
attach(struct xml_parser *x, struct xml_node *n)
{
	struct open_elem *parent;

	if (x->depth == 0) {
		x->root = n;
		return;
	}
	parent = &x->stack[x->depth - 1];
	if (parent->last == NULL)
		parent->node->child = n;
	else
		parent->last->next = n;
	parent->last = n;
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct xml_parser *x = ud;
	struct open_elem *e;
	struct xml_node *n;

	(void)attrs;
	if (x->failed)
		return;
	if (x->depth >= XML_MAX_DEPTH) {
		fail(x, "elements nested deeper than the limit");
		return;
	}
	if (x->nodes >= XML_MAX_NODES) {
		fail(x, "more elements than the limit");
		return;
	}
	if ((n = node_new(name)) == NULL) {
		fail(x, strerror(ENOMEM));
		return;
	}
	attach(x, n);
	x->nodes++;
	e = &x->stack[x->depth++];
	e->node = n;
	e->last = NULL;
	buf_init(&e->text, XML_MAX_BYTES);
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	struct xml_parser *x = ud;
	struct open_elem *e;

	(void)name;
	if (x->failed || x->depth == 0)	/* expat may call after a stop */
		return;
	e = &x->stack[x->depth - 1];
	if (e->text.data == NULL && buf_append(&e->text, "", 0) == -1) {
		fail(x, strerror(errno));
		return;
	}
	e->node->text = e->text.data;	/* the node owns it now */
	buf_init(&e->text, 0);
	x->depth--;
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct xml_parser *x = ud;

	if (x->failed || x->depth == 0)
		return;
	if (buf_append(&x->stack[x->depth - 1].text, s, (size_t)len) == -1)
		fail(x, "element text larger than the limit");
}

static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	fail(ud, "a document type declaration is not accepted");
}

static void XMLCALL
on_entity_decl(void *ud, const XML_Char *name, int is_param,
    const XML_Char *value, int value_len, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	(void)name;
	(void)is_param;
	(void)value;
	(void)value_len;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	fail(ud, "entity declarations are not accepted");
}

/* Texts of elements still open when the parse stopped. */
static void
unwind(struct xml_parser *x)
{
	while (x->depth > 0)
		buf_free(&x->stack[--x->depth].text);
}

struct xml_node *
xml_parse(const char *data, size_t len, char *err, size_t errlen)
{
	struct xml_parser x;

	memset(&x, 0, sizeof x);
	x.err = err;
	x.errlen = errlen;
	if (len > XML_MAX_BYTES) {
		snprintf(err, errlen, "document larger than %d bytes",
		    XML_MAX_BYTES);
		return NULL;
	}
	if ((x.expat = XML_ParserCreate("UTF-8")) == NULL) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return NULL;
	}
	XML_SetUserData(x.expat, &x);
	XML_SetElementHandler(x.expat, on_start, on_end);
	XML_SetCharacterDataHandler(x.expat, on_text);
	XML_SetStartDoctypeDeclHandler(x.expat, on_doctype);
	XML_SetEntityDeclHandler(x.expat, on_entity_decl);
	XML_SetParamEntityParsing(x.expat, XML_PARAM_ENTITY_PARSING_NEVER);
	if (XML_Parse(x.expat, data, (int)len, XML_TRUE) != XML_STATUS_OK &&
	    !x.failed)
		fail(&x, XML_ErrorString(XML_GetErrorCode(x.expat)));
	XML_ParserFree(x.expat);
	unwind(&x);
	if (x.failed || x.root == NULL) {
		if (!x.failed)
			snprintf(err, errlen, "no element found");
		node_free(x.root);
		return NULL;
	}
	return x.root;
}

/* The first child of N named by the LEN bytes at NAME. */
static const struct xml_node *
child_named(const struct xml_node *n, const char *name, size_t len)
{
	for (n = n->child; n != NULL; n = n->next)
		if (strncmp(n->name, name, len) == 0 && n->name[len] == '\0')
			return n;
	return NULL;
}

const struct xml_node *
xml_find(const struct xml_node *node, const char *path)
{
	size_t len;

	while (node != NULL && *path != '\0') {
		len = strcspn(path, "/");
		node = child_named(node, path, len);
		path += len;
		if (*path == '/')
			path++;
	}
	return node;
}

const char *
xml_text(const struct xml_node *node, const char *path)
{
	const struct xml_node *n = xml_find(node, path);

	return n != NULL ? n->text : NULL;
}
