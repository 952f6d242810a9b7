/*
 * pyyaml_load.c - yaml.safe_load for configuration files: libyaml parses,
 * and the scalars are constructed as PyYAML's SafeConstructor does
 * (construct_yaml_bool, _int, _float, _null), so "distributed_type: NO" is
 * the boolean false here too.  What a configuration never needs and we
 * could not write back faithfully is refused with its position: anchors and
 * aliases, merge keys, timestamps, sexagesimal numbers, non-string keys,
 * tags other than the standard scalar ones.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "pyyaml.h"

#define TAG_PREFIX "tag:yaml.org,2002:"

struct loader {
	const char *name;
	yaml_parser_t parser;
	yaml_event_t event;
	int depth;
};

static struct ynode *load_node(struct loader *);

static void *
fail_at(struct loader *l, const yaml_mark_t *m, const char *msg)
{
	accel_err("%s:%zu:%zu: error: %s", l->name, m->line + 1,
	    m->column + 1, msg);
	return NULL;
}

static int
next_event(struct loader *l)
{
	yaml_event_delete(&l->event);
	if (yaml_parser_parse(&l->parser, &l->event))
		return 0;
	accel_err("%s:%zu:%zu: error: %s", l->name,
	    l->parser.problem_mark.line + 1,
	    l->parser.problem_mark.column + 1,
	    l->parser.problem ? l->parser.problem : "invalid YAML");
	memset(&l->event, 0, sizeof l->event);
	return -1;
}

/* Copy TEXT without '_' and, when LOWER, in lower case. */
static char *
number_text(const char *text, int lower)
{
	char *s = malloc(strlen(text) + 1), *d = s;

	if (s == NULL)
		return NULL;
	for (; *text != '\0'; text++)
		if (*text != '_')
			*d++ = lower && *text >= 'A' && *text <= 'Z' ?
			    (char)(*text - 'A' + 'a') : *text;
	*d = '\0';
	return s;
}

/* SafeConstructor.construct_yaml_int, within long long. */
static int
construct_int(const char *text, long long *out)
{
	char *s = number_text(text, 0), *p, *end;
	int base = 10, neg = 0, rc = -1;
	long long v;

	if (s == NULL)
		return -1;
	p = s;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (strchr(p, ':') != NULL)
		goto out;
	if (p[0] == '0' && p[1] == 'b') {
		base = 2;
		p += 2;
	} else if (p[0] == '0' && p[1] == 'x') {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1] != '\0') {
		base = 8;
	}
	if (*p == '\0')
		goto out;
	errno = 0;
	v = strtoll(p, &end, base);
	if (*end != '\0' || errno == ERANGE)
		goto out;
	*out = neg ? -v : v;
	rc = 0;
out:
	free(s);
	return rc;
}

/* SafeConstructor.construct_yaml_float. */
static int
construct_float(const char *text, double *out)
{
	char *s = number_text(text, 1), *p, *end;
	int neg = 0, rc = -1;

	if (s == NULL)
		return -1;
	p = s;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (strcmp(p, ".inf") == 0) {
		*out = neg ? -INFINITY : INFINITY;
		rc = 0;
	} else if (strcmp(p, ".nan") == 0) {
		*out = NAN;
		rc = 0;
	} else if (strchr(p, ':') == NULL) {
		*out = strtod(p, &end);
		if (neg)
			*out = -*out;
		rc = *end == '\0' ? 0 : -1;
	}
	free(s);
	return rc;
}

static struct ynode *
construct_scalar(struct loader *l, enum yresolve tag)
{
	const char *v = (const char *)l->event.data.scalar.value;
	const yaml_mark_t *m = &l->event.start_mark;
	struct ynode *n;

	if (strlen(v) != l->event.data.scalar.length)
		return fail_at(l, m, "a NUL character in a scalar");
	switch (tag) {
	case YR_STR:
		n = ynode_str(v);
		break;
	case YR_NULL:
		n = ynode_new(Y_NULL);
		break;
	case YR_BOOL:
		n = ynode_bool(strcasecmp(v, "yes") == 0 ||
		    strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0);
		break;
	case YR_INT:
		if ((n = ynode_new(Y_INT)) != NULL &&
		    construct_int(v, &n->i) == -1) {
			ynode_free(n);
			return fail_at(l, m, "an integer out of range or "
			    "in sexagesimal notation");
		}
		break;
	case YR_FLOAT:
		if ((n = ynode_new(Y_FLOAT)) != NULL &&
		    construct_float(v, &n->d) == -1) {
			ynode_free(n);
			return fail_at(l, m, "a float in sexagesimal notation");
		}
		break;
	default:
		return fail_at(l, m, "timestamps, merge keys and value keys "
		    "are not supported");
	}
	if (n == NULL)
		accel_err("%s: out of memory", l->name);
	return n;
}

static struct ynode *
load_scalar(struct loader *l)
{
	const char *tag = (const char *)l->event.data.scalar.tag;
	static const struct {
		const char *name;
		enum yresolve r;
	} tags[] = {
		{ TAG_PREFIX "str", YR_STR }, { TAG_PREFIX "int", YR_INT },
		{ TAG_PREFIX "float", YR_FLOAT },
		{ TAG_PREFIX "bool", YR_BOOL }, { TAG_PREFIX "null", YR_NULL },
	};
	size_t i;

	if (tag == NULL && l->event.data.scalar.plain_implicit)
		return construct_scalar(l, pyyaml_resolve(
		    (const char *)l->event.data.scalar.value));
	if (tag == NULL || strcmp(tag, "!") == 0)
		return construct_scalar(l, YR_STR);
	for (i = 0; i < sizeof tags / sizeof tags[0]; i++)
		if (strcmp(tag, tags[i].name) == 0)
			return construct_scalar(l, tags[i].r);
	return fail_at(l, &l->event.start_mark, "unsupported tag");
}

static int
collection_tag_ok(const yaml_char_t *tag, const char *want)
{
	return tag == NULL || strcmp((const char *)tag, want) == 0;
}

static struct ynode *
load_mapping(struct loader *l)
{
	struct ynode *map = ynode_new(Y_MAP), *val;
	char *key = NULL;
	yaml_mark_t m;

	if (map == NULL)
		return NULL;
	for (;;) {
		if (next_event(l) == -1)
			goto fail;
		if (l->event.type == YAML_MAPPING_END_EVENT)
			return map;
		m = l->event.start_mark;
		if (l->event.type != YAML_SCALAR_EVENT)
			goto bad_key;
		val = load_scalar(l);
		if (val == NULL)
			goto fail;
		if (val->kind != Y_STR) {
			ynode_free(val);
			goto bad_key;
		}
		key = val->str;
		val->str = NULL;
		ynode_free(val);
		if (next_event(l) == -1)
			goto fail;
		val = load_node(l);
		if (val == NULL || ymap_put(map, key, val) == -1)
			goto fail;
		free(key);
		key = NULL;
	}
bad_key:
	fail_at(l, &m, "keys must be strings");
fail:
	free(key);
	ynode_free(map);
	return NULL;
}

static struct ynode *
load_sequence(struct loader *l)
{
	struct ynode *seq = ynode_new(Y_SEQ), *val;

	if (seq == NULL)
		return NULL;
	for (;;) {
		if (next_event(l) == -1)
			break;
		if (l->event.type == YAML_SEQUENCE_END_EVENT)
			return seq;
		val = load_node(l);
		if (val == NULL)
			break;
		yseq_append(seq, val);
	}
	ynode_free(seq);
	return NULL;
}

/* The node starting at the current event. */
static struct ynode *
load_node(struct loader *l)
{
	const yaml_mark_t *m = &l->event.start_mark;
	struct ynode *n = NULL;

	if (++l->depth > PYYAML_MAX_DEPTH)
		return fail_at(l, m, "nested too deeply");
	switch (l->event.type) {
	case YAML_SCALAR_EVENT:
		if (l->event.data.scalar.anchor != NULL)
			return fail_at(l, m, "anchors are not supported");
		n = load_scalar(l);
		break;
	case YAML_SEQUENCE_START_EVENT:
		if (l->event.data.sequence_start.anchor != NULL ||
		    !collection_tag_ok(l->event.data.sequence_start.tag,
		    TAG_PREFIX "seq"))
			return fail_at(l, m, "anchors and tags are not "
			    "supported");
		n = load_sequence(l);
		break;
	case YAML_MAPPING_START_EVENT:
		if (l->event.data.mapping_start.anchor != NULL ||
		    !collection_tag_ok(l->event.data.mapping_start.tag,
		    TAG_PREFIX "map"))
			return fail_at(l, m, "anchors and tags are not "
			    "supported");
		n = load_mapping(l);
		break;
	case YAML_ALIAS_EVENT:
		return fail_at(l, m, "aliases are not supported");
	default:
		return fail_at(l, m, "unexpected YAML event");
	}
	l->depth--;
	return n;
}

static struct ynode *
load_document(struct loader *l)
{
	struct ynode *root;

	/* STREAM-START, DOCUMENT-START, then the root node */
	if (next_event(l) == -1 || next_event(l) == -1)
		return NULL;
	if (l->event.type != YAML_DOCUMENT_START_EVENT)
		return fail_at(l, &l->event.start_mark, "the file is empty");
	if (next_event(l) == -1)
		return NULL;
	root = load_node(l);
	if (root == NULL)
		return NULL;
	if (next_event(l) == -1 || next_event(l) == -1)
		goto fail;
	if (l->event.type != YAML_STREAM_END_EVENT) {
		fail_at(l, &l->event.start_mark,
		    "expected a single document in the stream");
		goto fail;
	}
	return root;
fail:
	ynode_free(root);
	return NULL;
}

struct ynode *
pyyaml_load(const char *name, const char *text, size_t len)
{
	struct loader l;
	struct ynode *root;

	memset(&l, 0, sizeof l);
	l.name = name;
	if (!yaml_parser_initialize(&l.parser)) {
		accel_err("%s: out of memory", name);
		return NULL;
	}
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text,
	    len);
	root = load_document(&l);
	yaml_event_delete(&l.event);
	yaml_parser_delete(&l.parser);
	return root;
}
