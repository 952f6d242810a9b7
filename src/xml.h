/*
 * xml.h - a small tree over expat for AWS responses (S3, STS, IAM).  Element
 * names lose their namespace prefix; text is the concatenated character data
 * of an element.  Limits: XML_MAX_DEPTH levels, XML_MAX_NODES elements,
 * XML_MAX_BYTES input; entities other than the predefined ones are refused.
 */
#ifndef ACCEL_XML_H
#define ACCEL_XML_H

#include <stddef.h>

#define XML_MAX_DEPTH 32
#define XML_MAX_NODES 100000
#define XML_MAX_BYTES (16 << 20)

struct xml_node {
	char *name;
	char *text;		/* "" when none */
	struct xml_node *child;	/* first child */
	struct xml_node *next;	/* next sibling */
};

/* xml_parse: the document root, or NULL with a reason in ERR. */
struct xml_node *xml_parse(const char *data, size_t len, char *err,
    size_t errlen);
void xml_free(struct xml_node *root);

/*
 * xml_find: the first node at PATH below NODE, slash-separated child names
 * ("Error/Code"); NODE's own name is not part of PATH.  NULL when absent.
 */
const struct xml_node *xml_find(const struct xml_node *node, const char *path);

/* The text at PATH, or NULL when absent. */
const char *xml_text(const struct xml_node *node, const char *path);

#endif
