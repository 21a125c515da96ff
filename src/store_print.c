/*
 * egressctl's output: a result as aligned columns, as CSV (RFC 4180) or
 * as JSON lines.  Text from the wire reaches the store already escaped to
 * printable ASCII by the dissectors; whatever else a cell holds (a byte
 * below 0x20, DEL, UTF-8 that is not valid) is written as \xHH in every
 * format, so no cell can start a line, a field or a document of its own.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store_print.h"
#include "store_query.h"
#include "util.h"
#include "xmalloc.h"

/* The length of the valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t
store_utf8_len(const unsigned char *p, size_t n)
{
	size_t		len, i;
	uint32_t	cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	cp = p[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/*
 * A cell's text made safe: control bytes, DEL and bytes of invalid UTF-8
 * as \xHH, the rest as it is.  Returns a string to free; *chars is its
 * width in characters.
 */
static char *
store_safe(const char *s, size_t n, size_t *chars)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			*out = xmalloc(4 * n + 1);
	size_t			 i = 0, o = 0, k, w = 0;

	while (i < n) {
		k = store_utf8_len(p + i, n - i);
		if (k == 0 || (k == 1 && (p[i] < 0x20 || p[i] == 0x7f))) {
			snprintf(out + o, 5, "\\x%02x", p[i]);
			o += 4;
			w += 4;
			i++;
			continue;
		}
		memcpy(out + o, p + i, k);
		o += k;
		i += k;
		w++;
	}
	out[o] = '\0';
	if (chars != NULL)
		*chars = w;
	return out;
}

/* A cell as text for a table (human) or CSV; a string to free. */
static char *
store_cell_str(const struct store_cell *c, enum store_col type, int human,
    size_t *chars)
{
	char		 buf[64];
	const char	*pn;
	size_t		 n;

	if (c->null) {
		*chars = human ? 1 : 0;
		return xstrdup(human ? "-" : "");
	}
	switch (type) {
	case STORE_C_TIME:
		util_time_str(c->i, buf, sizeof(buf));
		if (human && (n = strlen(buf)) > 8 && buf[n - 8] == '.')
			strcpy(buf + n - 8, "Z");	/* to the second */
		break;
	case STORE_C_REAL:
		snprintf(buf, sizeof(buf), human ? "%.3g" : "%.6g", c->d);
		if (human && c->d >= 1000)
			snprintf(buf, sizeof(buf), "%.0f", c->d);
		break;
	case STORE_C_PROTO:
		if ((pn = util_proto_name((uint8_t)c->i)) != NULL &&
		    c->i >= 0 && c->i < 256)
			snprintf(buf, sizeof(buf), "%s", pn);
		else
			snprintf(buf, sizeof(buf), "%" PRId64, c->i);
		break;
	default:
		return store_safe(c->s, c->len, chars);
	}
	*chars = strlen(buf);
	return xstrdup(buf);
}

/* Right-aligned in a table: numbers. */
static int
store_right(enum store_col type)
{
	return type == STORE_C_INT || type == STORE_C_REAL;
}

/* The columns to show: the sensor first when there are several stores. */
static size_t
store_col_at(const struct store_result *r, int sensors, size_t k,
    enum store_col *type, const char **name)
{
	if (sensors) {
		if (k == 0) {
			*type = STORE_C_TEXT;
			*name = "sensor";
			return r->ncols;
		}
		k--;
	}
	*type = r->cols[k].type;
	*name = r->cols[k].name;
	return k;
}

/* Aligned columns under a header; the last column is not padded. */
static int
store_print_table(FILE *fp, const struct store_result *r, int sensors)
{
	size_t		 nc = r->ncols + (sensors != 0), w = r->ncols + 1;
	size_t		*width, *cw, i, k, col, pad;
	char		**txt;
	enum store_col	 type;
	const char	*name;

	width = xcalloc(nc, sizeof(*width));
	cw = xcalloc(r->nrows * nc + 1, sizeof(*cw));
	txt = xcalloc(r->nrows * nc + 1, sizeof(*txt));
	for (k = 0; k < nc; k++) {
		store_col_at(r, sensors, k, &type, &name);
		width[k] = strlen(name);
	}
	for (i = 0; i < r->nrows; i++)
		for (k = 0; k < nc; k++) {
			col = store_col_at(r, sensors, k, &type, &name);
			txt[i * nc + k] = store_cell_str(&r->cells[i * w + col],
			    type, 1, &cw[i * nc + k]);
			if (cw[i * nc + k] > width[k])
				width[k] = cw[i * nc + k];
		}
	for (k = 0; k < nc; k++) {
		store_col_at(r, sensors, k, &type, &name);
		pad = width[k] - strlen(name);
		fprintf(fp, "%s%*s%s%*s", k > 0 ? "  " : "",
		    store_right(type) ? (int)pad : 0, "", name,
		    store_right(type) || k + 1 == nc ? 0 : (int)pad, "");
	}
	fputc('\n', fp);
	for (i = 0; i < r->nrows; i++) {
		for (k = 0; k < nc; k++) {
			store_col_at(r, sensors, k, &type, &name);
			pad = width[k] - cw[i * nc + k];
			fprintf(fp, "%s%*s%s%*s", k > 0 ? "  " : "",
			    store_right(type) ? (int)pad : 0, "",
			    txt[i * nc + k], store_right(type) ||
			    k + 1 == nc ? 0 : (int)pad, "");
			free(txt[i * nc + k]);
		}
		fputc('\n', fp);
	}
	free(txt);
	free(cw);
	free(width);
	return 0;
}

/* One CSV field: quoted when it holds a comma, a quote or a space. */
static void
store_csv_field(FILE *fp, const char *s)
{
	const char	*p;

	if (strpbrk(s, ",\" ") == NULL && s[0] != '\0') {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}

/* CSV, RFC 4180: a header line, then a line a row (CRLF ends each). */
static int
store_print_csv(FILE *fp, const struct store_result *r, int sensors)
{
	size_t		 nc = r->ncols + (sensors != 0), w = r->ncols + 1;
	size_t		 i, k, col, chars;
	enum store_col	 type;
	const char	*name;
	char		*s;

	for (k = 0; k < nc; k++) {
		store_col_at(r, sensors, k, &type, &name);
		if (k > 0)
			fputc(',', fp);
		store_csv_field(fp, name);
	}
	fputs("\r\n", fp);
	for (i = 0; i < r->nrows; i++) {
		for (k = 0; k < nc; k++) {
			col = store_col_at(r, sensors, k, &type, &name);
			s = store_cell_str(&r->cells[i * w + col], type, 0,
			    &chars);
			if (k > 0)
				fputc(',', fp);
			if (!r->cells[i * w + col].null)
				store_csv_field(fp, s);
			free(s);
		}
		fputs("\r\n", fp);
	}
	return 0;
}

/* A cell as a JSON value. */
static json_t *
store_json_value(const struct store_cell *c, enum store_col type)
{
	char	*s;
	size_t	 chars;
	json_t	*v;

	if (c->null)
		return json_null();
	switch (type) {
	case STORE_C_INT:
		return json_integer(c->i);
	case STORE_C_REAL:
		return json_real(c->d);
	default:
		s = store_cell_str(c, type, 0, &chars);
		v = json_string(s);
		free(s);
		return v;
	}
}

/* JSON lines: an object a row, the column names for keys. */
static int
store_print_json(FILE *fp, const struct store_result *r, int sensors)
{
	size_t		 nc = r->ncols + (sensors != 0), w = r->ncols + 1;
	size_t		 i, k, col;
	enum store_col	 type;
	const char	*name;
	json_t		*o, *v;

	for (i = 0; i < r->nrows; i++) {
		o = json_object();
		for (k = 0; k < nc; k++) {
			col = store_col_at(r, sensors, k, &type, &name);
			if ((v = store_json_value(&r->cells[i * w + col],
			    type)) == NULL || o == NULL)
				return -1;
			json_object_set_new(o, name, v);
		}
		if (json_dumpf(o, fp, JSON_COMPACT | JSON_PRESERVE_ORDER |
		    JSON_REAL_PRECISION(6)) == -1) {
			json_decref(o);
			return -1;
		}
		json_decref(o);
		fputc('\n', fp);
	}
	return 0;
}

/*
 * Print a result in a format; sensors: mark each row with its store.
 * 0, or -1 on an output error.
 */
int
store_print(FILE *fp, const struct store_result *r, enum store_format f,
    int sensors)
{
	int	rc;

	switch (f) {
	case STORE_FMT_CSV:
		rc = store_print_csv(fp, r, sensors);
		break;
	case STORE_FMT_JSON:
		rc = store_print_json(fp, r, sensors);
		break;
	default:
		rc = store_print_table(fp, r, sensors);
		break;
	}
	if (fflush(fp) == EOF || ferror(fp))
		rc = -1;
	return rc;
}
