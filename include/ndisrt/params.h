/* SPDX-License-Identifier: MIT */
/*
 * ndisrt/params.h - the configuration parameters miniports read with
 * NdisReadConfiguration (their registry keywords on Windows), set by the
 * host before it starts NICs.
 *
 * One store per process: every NIC's NdisOpenConfiguration[Ex] handle
 * reads it (ndisrt runs one driver; per-NIC values come with the CLI's
 * --param NIC selector). Values are text; NdisReadConfiguration converts
 * them to the type the driver asks for (docs/ddi/README.md).
 */
#ifndef NDISRT_PARAMS_H
#define NDISRT_PARAMS_H

#ifdef __cplusplus
extern "C" {
#endif

#define NDISRT_PARAM_MAX 128	   /* parameters in the store */
#define NDISRT_PARAM_NAME_MAX 63   /* bytes of a keyword (ASCII) */
#define NDISRT_PARAM_VALUE_MAX 255 /* bytes of a value */

/**
 * ndisrt_param_set() - Set @keyword (ASCII letters, digits, '_', '*', '.',
 * '-'; matched case-insensitively) to @value (printable ASCII), replacing
 * an earlier value. Context: any thread at PASSIVE_LEVEL.
 * Return: 0; -EINVAL (bad keyword or value, too long), -ENOSPC (store full).
 */
int ndisrt_param_set(const char *keyword, const char *value);

/** ndisrt_param_parse() - ndisrt_param_set() from "Name=Value" (the CLI form). */
int ndisrt_param_parse(const char *assignment);

/** ndisrt_param_get() - Copy @keyword's value to @buf. Return: 0, -ENOENT, -ENOSPC. */
int ndisrt_param_get(const char *keyword, char *buf, unsigned len);

/** ndisrt_params_clear() - Forget every parameter. Context: no NIC running. */
void ndisrt_params_clear(void);

/* Error log entries miniports wrote (NdisWriteErrorLogEntry), for the run report. */
#define NDISRT_ERROR_LOG_VALUES 8
struct ndisrt_error_log_entry {
	unsigned long long time_ns; /* engine clock */
	void *adapter;		    /* NdisAdapterHandle */
	unsigned code;		    /* NDIS_ERROR_CODE */
	unsigned nr_values;	    /* values kept (<= NDISRT_ERROR_LOG_VALUES) */
	unsigned values[NDISRT_ERROR_LOG_VALUES];
};

/** ndisrt_error_log_count() - Entries written so far (including dropped ones). */
unsigned ndisrt_error_log_count(void);

/** ndisrt_error_log_get() - Entry @i (0-based, the first 64 are kept). Return: 0 or -ENOENT. */
int ndisrt_error_log_get(unsigned i, struct ndisrt_error_log_entry *out);

#ifdef __cplusplus
}
#endif

#endif /* NDISRT_PARAMS_H */
