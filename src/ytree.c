/* ytree.c - building and freeing YAML trees. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ytree.h"

struct ynode *
ynode_new(enum ykind kind)
{
	struct ynode *n = calloc(1, sizeof *n);

	if (n != NULL)
		n->kind = kind;
	return n;
}

struct ynode *
ynode_str(const char *s)
{
	struct ynode *n = ynode_new(Y_STR);

	if (n == NULL)
		return NULL;
	n->str = strdup(s);
	if (n->str == NULL) {
		free(n);
		return NULL;
	}
	return n;
}

struct ynode *
ynode_int(long long i)
{
	struct ynode *n = ynode_new(Y_INT);

	if (n != NULL)
		n->i = i;
	return n;
}

struct ynode *
ynode_bool(int b)
{
	struct ynode *n = ynode_new(Y_BOOL);

	if (n != NULL)
		n->i = b != 0;
	return n;
}

void
ynode_free(struct ynode *n)
{
	struct ynode *c, *next;

	if (n == NULL)
		return;
	for (c = n->child; c != NULL; c = next) {
		next = c->next;
		ynode_free(c);
	}
	free(n->key);
	free(n->str);
	free(n);
}

struct ynode *
ymap_get(const struct ynode *map, const char *key)
{
	struct ynode *c;

	if (map == NULL || map->kind != Y_MAP)
		return NULL;
	for (c = map->child; c != NULL; c = c->next)
		if (strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

int
ymap_put(struct ynode *map, const char *key, struct ynode *val)
{
	struct ynode **p;

	if (val == NULL)
		return -1;
	val->key = strdup(key);
	if (val->key == NULL) {
		ynode_free(val);
		errno = ENOMEM;
		return -1;
	}
	for (p = &map->child; *p != NULL; p = &(*p)->next) {
		if (strcmp((*p)->key, key) == 0) {
			val->next = (*p)->next;
			(*p)->next = NULL;
			ynode_free(*p);
			*p = val;
			return 0;
		}
	}
	*p = val;
	return 0;
}

void
ymap_del(struct ynode *map, const char *key)
{
	struct ynode **p, *gone;

	for (p = &map->child; *p != NULL; p = &(*p)->next) {
		if (strcmp((*p)->key, key) == 0) {
			gone = *p;
			*p = gone->next;
			gone->next = NULL;
			ynode_free(gone);
			return;
		}
	}
}

void
yseq_append(struct ynode *seq, struct ynode *val)
{
	struct ynode **p;

	for (p = &seq->child; *p != NULL; p = &(*p)->next)
		;
	*p = val;
}

size_t
ynode_count(const struct ynode *n)
{
	const struct ynode *c;
	size_t k = 0;

	for (c = n->child; c != NULL; c = c->next)
		k++;
	return k;
}
