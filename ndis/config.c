/* SPDX-License-Identifier: MIT */
/*
 * ndis/config.c - configuration: the parameter store the host fills
 * (<ndisrt/params.h>) and the DDIs miniports read it with
 * (NdisOpenConfiguration[Ex], NdisReadConfiguration, NdisWriteConfiguration,
 * NdisReadNetworkAddress, NdisCloseConfiguration; <ndis/support.h>).
 *
 * Lock key: (S) store_lock, a mutex taken only at PASSIVE_LEVEL by host
 * threads, or by vCPUs raised to DISPATCH_LEVEL so no DPC of theirs runs
 * while they hold it. A configuration handle is a struct config on the
 * open list (S); what a read returns lives in the handle until it is
 * closed, as NDIS documents.
 */
#include "ndis/wdk.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ndisrt/params.h"

struct param {
	int nic; /* NDISRT_PARAM_ALL_NICS, or the NIC it is for */
	char name[NDISRT_PARAM_NAME_MAX + 1];
	char value[NDISRT_PARAM_VALUE_MAX + 1];
};

#define CONFIG_MAGIC 0x4E44434647ull /* 'NDCFG' */

/* A value returned by a read: freed by NdisCloseConfiguration. */
struct config_value {
	struct config_value *next;
	NDIS_CONFIGURATION_PARAMETER param;
	WCHAR text[NDISRT_PARAM_VALUE_MAX + 2]; /* string data, two terminators */
	UCHAR address[6];			/* NdisReadNetworkAddress */
};

struct config {
	uint64_t magic;
	NDIS_HANDLE owner;	     /* the handle it was opened with */
	int nic;		     /* its NIC (ndis_config_bind), or NDISRT_PARAM_ALL_NICS */
	struct config_value *values; /* (S) */
	struct config *next;	     /* (S) open list */
};

static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;
static struct param store[NDISRT_PARAM_MAX]; /* (S) name[0] == 0: free */
static struct config *open_list;	     /* (S) */

/* Which NIC a handle a driver opens its configuration with belongs to. */
#define CONFIG_BINDINGS 128 /* HOST_MAX_NICS of each NIC kind */
static struct {
	const void *owner;
	int nic;
} bindings[CONFIG_BINDINGS]; /* (S) owner NULL: free */

static ke_irql_t store_lock_take(void)
{
	ke_irql_t old = ndis_enter_dispatch();

	pthread_mutex_lock(&store_lock);
	return old;
}

static void store_lock_drop(ke_irql_t old)
{
	pthread_mutex_unlock(&store_lock);
	ndis_leave_dispatch(old);
}

/* ---------------------------------------------------------------- host API */

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > NDISRT_PARAM_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '*' || *s == '.' || *s == '-'))
			return false;
	return true;
}

static bool value_ok(const char *s)
{
	if (strlen(s) > NDISRT_PARAM_VALUE_MAX)
		return false;
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7E)
			return false;
	return true;
}

static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = (*a >= 'A' && *a <= 'Z') ? *a + 32 : *a;
		int cb = (*b >= 'A' && *b <= 'Z') ? *b + 32 : *b;

		if (ca != cb || !ca)
			return ca - cb;
	}
}

/* (S) The entry of @name set for exactly @nic. */
static struct param *store_find_exact(int nic, const char *name)
{
	for (unsigned i = 0; i < NDISRT_PARAM_MAX; i++)
		if (store[i].name[0] && store[i].nic == nic && !ascii_casecmp(store[i].name, name))
			return &store[i];
	return NULL;
}

/* (S) What NIC @nic reads for @name: its own value, else the one for every NIC. */
static struct param *store_find(int nic, const char *name)
{
	struct param *p = NULL;

	if (nic != NDISRT_PARAM_ALL_NICS)
		p = store_find_exact(nic, name);
	return p ? p : store_find_exact(NDISRT_PARAM_ALL_NICS, name);
}

static int store_set(int nic, const char *name, const char *value)
{
	struct param *p;
	ke_irql_t old;
	int ret = 0;

	if (!name_ok(name) || !value_ok(value) || nic < NDISRT_PARAM_ALL_NICS ||
	    nic > NDISRT_PARAM_NIC_MAX)
		return -EINVAL;
	old = store_lock_take();
	p = store_find_exact(nic, name);
	for (unsigned i = 0; !p && i < NDISRT_PARAM_MAX; i++)
		if (!store[i].name[0])
			p = &store[i];
	if (p) {
		p->nic = nic;
		strcpy(p->name, name);
		strcpy(p->value, value);
	} else {
		ret = -ENOSPC;
	}
	store_lock_drop(old);
	return ret;
}

int ndisrt_param_set(const char *keyword, const char *value)
{
	return ndisrt_param_set_nic(NDISRT_PARAM_ALL_NICS, keyword, value);
}

int ndisrt_param_set_nic(int nic, const char *keyword, const char *value)
{
	if (!keyword || !value)
		return -EINVAL;
	return store_set(nic, keyword, value);
}

/* Split "[NIC:]Name=Value" into @nic, @name and *@value; 0 or -EINVAL. */
static int split_assignment(const char *assignment, int *nic, char *name, const char **value)
{
	const char *eq = assignment ? strchr(assignment, '=') : NULL;
	const char *colon = assignment ? strchr(assignment, ':') : NULL;
	size_t n;

	if (!eq)
		return -EINVAL;
	*nic = NDISRT_PARAM_ALL_NICS;
	if (colon && colon < eq) { /* NIC:Name=Value, NIC a decimal index */
		const char *d = assignment;

		if (d == colon || colon - d > 2)
			return -EINVAL;
		*nic = 0;
		for (; d < colon; d++) {
			if (*d < '0' || *d > '9')
				return -EINVAL;
			*nic = *nic * 10 + (*d - '0');
		}
		if (*nic > NDISRT_PARAM_NIC_MAX)
			return -EINVAL;
		assignment = colon + 1;
	}
	n = (size_t)(eq - assignment);
	if (n == 0 || n > NDISRT_PARAM_NAME_MAX)
		return -EINVAL;
	memcpy(name, assignment, n);
	name[n] = 0;
	*value = eq + 1;
	return name_ok(name) && value_ok(*value) ? 0 : -EINVAL;
}

int ndisrt_param_check(const char *assignment, int *nic)
{
	char name[NDISRT_PARAM_NAME_MAX + 1];
	const char *value;
	int dummy;

	return split_assignment(assignment, nic ? nic : &dummy, name, &value);
}

int ndisrt_param_parse(const char *assignment)
{
	char name[NDISRT_PARAM_NAME_MAX + 1];
	const char *value;
	int nic, ret = split_assignment(assignment, &nic, name, &value);

	return ret ? ret : store_set(nic, name, value);
}

int ndisrt_param_get(const char *keyword, char *buf, unsigned len)
{
	return ndisrt_param_get_nic(NDISRT_PARAM_ALL_NICS, keyword, buf, len);
}

int ndisrt_param_get_nic(int nic, const char *keyword, char *buf, unsigned len)
{
	struct param *p;
	ke_irql_t old;
	int ret = -ENOENT;

	if (!keyword || !buf)
		return -EINVAL;
	old = store_lock_take();
	p = store_find(nic, keyword);
	if (p) {
		ret = strlen(p->value) < len ? 0 : -ENOSPC;
		if (!ret)
			strcpy(buf, p->value);
	}
	store_lock_drop(old);
	return ret;
}

void ndisrt_params_clear(void)
{
	ke_irql_t old = store_lock_take();

	memset(store, 0, sizeof(store));
	store_lock_drop(old);
}

int ndis_config_bind(const void *owner, int nic)
{
	ke_irql_t old;
	int ret = -ENOSPC;

	if (!owner || nic < 0 || nic > NDISRT_PARAM_NIC_MAX)
		return -EINVAL;
	int slot = -1;

	old = store_lock_take();
	for (unsigned i = 0; i < CONFIG_BINDINGS; i++) {
		if (bindings[i].owner == owner) {
			slot = (int)i;
			break;
		}
		if (slot < 0 && !bindings[i].owner)
			slot = (int)i;
	}
	if (slot >= 0) {
		bindings[slot].owner = owner;
		bindings[slot].nic = nic;
		ret = 0;
	}
	store_lock_drop(old);
	return ret;
}

void ndis_config_unbind(const void *owner)
{
	ke_irql_t old = store_lock_take();

	for (unsigned i = 0; i < CONFIG_BINDINGS; i++)
		if (owner && bindings[i].owner == owner)
			bindings[i].owner = NULL;
	store_lock_drop(old);
}

/* (S) The NIC @owner is bound to, or NDISRT_PARAM_ALL_NICS. */
static int binding_of(const void *owner)
{
	for (unsigned i = 0; i < CONFIG_BINDINGS; i++)
		if (owner && bindings[i].owner == owner)
			return bindings[i].nic;
	return NDISRT_PARAM_ALL_NICS;
}

/* -------------------------------------------------------------- the DDIs */

static NDIS_HANDLE config_open(NDIS_HANDLE owner)
{
	struct config *c = ndis_zalloc(sizeof(*c));
	ke_irql_t old;

	if (!c)
		return NULL;
	c->magic = CONFIG_MAGIC;
	c->owner = owner;
	old = store_lock_take();
	c->nic = binding_of(owner);
	c->next = open_list;
	open_list = c;
	store_lock_drop(old);
	return c;
}

/* (S) Is @h an open configuration handle? */
static struct config *config_find(NDIS_HANDLE h)
{
	for (struct config *c = open_list; c; c = c->next)
		if (c == h)
			return c;
	return NULL;
}

/* The open configuration @h, or bug check 0xC4 BAD_OBJECT. Holds (S) on return. */
static struct config *config_take(NDIS_HANDLE h, const char *ddi, ke_irql_t *old)
{
	struct config *c;

	*old = store_lock_take();
	c = config_find(h);
	if (!c) {
		store_lock_drop(*old);
		ndisrt_violation(NDISRT_VIOLATION_BAD_OBJECT, (uintptr_t)h, 0, NDIS_WDK_DDI_CONFIG,
				 ddi);
	}
	return c;
}

/*
 * NdisOpenConfigurationEx() - A handle on the adapter's (or driver's)
 * parameters. Context: PASSIVE_LEVEL (0xC4 IRQL otherwise).
 */
NDIS_STATUS NdisOpenConfigurationEx(PNDIS_CONFIGURATION_OBJECT ConfigObject,
				    PNDIS_HANDLE ConfigurationHandle)
{
	ndis_ddi_enter(NDIS_WDK_DDI_CONFIG, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!ConfigObject || !ConfigurationHandle)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)ConfigObject,
		    (uintptr_t)ConfigurationHandle, NDIS_WDK_DDI_CONFIG,
		    "NdisOpenConfigurationEx: ConfigObject or ConfigurationHandle is NULL");
	*ConfigurationHandle = NULL;
	if (ConfigObject->Header.Type != NDIS_OBJECT_TYPE_CONFIGURATION_OBJECT ||
	    ConfigObject->Header.Revision < NDIS_CONFIGURATION_OBJECT_REVISION_1 ||
	    ConfigObject->Header.Size < NDIS_SIZEOF_CONFIGURATION_OBJECT_REVISION_1 ||
	    !ConfigObject->NdisHandle)
		return NDIS_STATUS_INVALID_PARAMETER;
	*ConfigurationHandle = config_open(ConfigObject->NdisHandle);
	ke_preempt_point(KE_PP_DDI_EXIT);
	return *ConfigurationHandle ? NDIS_STATUS_SUCCESS : NDIS_STATUS_RESOURCES;
}

/* NdisOpenConfiguration() - The NDIS 5 form. Context: PASSIVE_LEVEL. */
VOID NdisOpenConfiguration(PNDIS_STATUS Status, PNDIS_HANDLE ConfigurationHandle,
			   NDIS_HANDLE WrapperConfigurationContext)
{
	ndis_ddi_enter(NDIS_WDK_DDI_CONFIG, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!Status || !ConfigurationHandle)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Status,
				 (uintptr_t)ConfigurationHandle, NDIS_WDK_DDI_CONFIG,
				 "NdisOpenConfiguration: Status or ConfigurationHandle is NULL");
	*ConfigurationHandle =
	    WrapperConfigurationContext ? config_open(WrapperConfigurationContext) : NULL;
	*Status = *ConfigurationHandle		? NDIS_STATUS_SUCCESS
		  : WrapperConfigurationContext ? NDIS_STATUS_RESOURCES
						: NDIS_STATUS_FAILURE;
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/* @k (UTF-16, @bytes long) as ASCII in @out; false if it is not ASCII or too long. */
static bool keyword_ascii(const NDIS_STRING *k, char *out)
{
	unsigned n = k->Length / sizeof(WCHAR);

	if (!k->Buffer || n == 0 || n > NDISRT_PARAM_NAME_MAX)
		return false;
	for (unsigned i = 0; i < n; i++) {
		if (k->Buffer[i] == 0 || k->Buffer[i] > 0x7E)
			return false;
		out[i] = (char)k->Buffer[i];
	}
	out[n] = 0;
	return true;
}

static bool parse_ulong(const char *s, int base, ULONG *out)
{
	char *end;
	unsigned long long v;

	if (base == 10 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16;
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > 0xFFFFFFFFull)
		return false;
	*out = (ULONG)v;
	return true;
}

/*
 * NdisReadConfiguration() - The value of @Keyword as @ParameterType.
 * Context: PASSIVE_LEVEL. *Status: SUCCESS, FAILURE (not set, or not of a
 * type it converts to), RESOURCES.
 */
VOID NdisReadConfiguration(PNDIS_STATUS Status, PNDIS_CONFIGURATION_PARAMETER *ParameterValue,
			   NDIS_HANDLE ConfigurationHandle, PNDIS_STRING Keyword,
			   NDIS_PARAMETER_TYPE ParameterType)
{
	char name[NDISRT_PARAM_NAME_MAX + 1], value[NDISRT_PARAM_VALUE_MAX + 1];
	struct config_value *v;
	struct param *p;
	struct config *c;
	ke_irql_t old;
	ULONG num;

	ndis_ddi_enter(NDIS_WDK_DDI_CONFIG, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!Status || !ParameterValue || !Keyword)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Status, (uintptr_t)ParameterValue,
		    NDIS_WDK_DDI_CONFIG,
		    "NdisReadConfiguration: Status, ParameterValue or Keyword is NULL");
	*ParameterValue = NULL;
	*Status = NDIS_STATUS_FAILURE;
	c = config_take(ConfigurationHandle,
			"NdisReadConfiguration: not an open configuration "
			"handle (closed, or never opened)",
			&old);
	p = keyword_ascii(Keyword, name) ? store_find(c->nic, name) : NULL;
	if (p)
		strcpy(value, p->value);
	store_lock_drop(old);
	(void)c;
	if (!p)
		goto out;
	v = ndis_zalloc(sizeof(*v));
	if (!v) {
		*Status = NDIS_STATUS_RESOURCES;
		goto out;
	}
	v->param.ParameterType = ParameterType;
	switch (ParameterType) {
	case NdisParameterInteger:
	case NdisParameterHexInteger:
		if (!parse_ulong(value, ParameterType == NdisParameterHexInteger ? 16 : 10, &num)) {
			ndis_free(v);
			goto out;
		}
		v->param.ParameterData.IntegerData = num;
		break;
	case NdisParameterString: {
		size_t n = strlen(value);

		for (size_t i = 0; i < n; i++)
			v->text[i] = (WCHAR)(unsigned char)value[i];
		v->param.ParameterData.StringData.Buffer = v->text;
		v->param.ParameterData.StringData.Length = (USHORT)(n * sizeof(WCHAR));
		v->param.ParameterData.StringData.MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
		break;
	}
	case NdisParameterMultiString: {
		/*
		 * REG_MULTI_SZ: the ','-separated items of the value, each
		 * ended by a NUL, then the empty string that ends the list.
		 * Length counts every item's NUL, not the final one.
		 */
		size_t n = strlen(value);

		for (size_t i = 0; i < n; i++)
			v->text[i] = value[i] == ',' ? 0 : (WCHAR)(unsigned char)value[i];
		v->text[n] = 0;
		v->text[n + 1] = 0;
		v->param.ParameterData.StringData.Buffer = v->text;
		v->param.ParameterData.StringData.Length = (USHORT)((n + 1) * sizeof(WCHAR));
		v->param.ParameterData.StringData.MaximumLength = (USHORT)((n + 2) * sizeof(WCHAR));
		break;
	}
	default: /* NdisParameterBinary: no binary values in the store */
		ndis_free(v);
		goto out;
	}
	old = store_lock_take();
	c = config_find(ConfigurationHandle);
	if (c) {
		v->next = c->values;
		c->values = v;
	}
	store_lock_drop(old);
	if (!c) { /* closed meanwhile by another thread of the driver */
		ndis_free(v);
		goto out;
	}
	*ParameterValue = &v->param;
	*Status = NDIS_STATUS_SUCCESS;
out:
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/*
 * NdisWriteConfiguration() - Store @ParameterValue under @Keyword for the
 * rest of the run. Context: PASSIVE_LEVEL. *Status: SUCCESS, FAILURE (a
 * keyword or value the store cannot hold, binary data), RESOURCES (full).
 */
VOID NdisWriteConfiguration(PNDIS_STATUS Status, NDIS_HANDLE ConfigurationHandle,
			    PNDIS_STRING Keyword, PNDIS_CONFIGURATION_PARAMETER ParameterValue)
{
	char name[NDISRT_PARAM_NAME_MAX + 1], value[NDISRT_PARAM_VALUE_MAX + 1];
	ke_irql_t old;
	int ret, nic;

	ndis_ddi_enter(NDIS_WDK_DDI_CONFIG, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!Status || !Keyword || !ParameterValue)
		ndisrt_violation(
		    NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Status, (uintptr_t)ParameterValue,
		    NDIS_WDK_DDI_CONFIG,
		    "NdisWriteConfiguration: Status, Keyword or ParameterValue is NULL");
	nic = config_take(ConfigurationHandle,
			  "NdisWriteConfiguration: not an open configuration handle", &old)
		  ->nic;
	store_lock_drop(old);
	*Status = NDIS_STATUS_FAILURE;
	if (!keyword_ascii(Keyword, name))
		goto out;
	switch (ParameterValue->ParameterType) {
	case NdisParameterInteger:
		snprintf(value, sizeof(value), "%u", ParameterValue->ParameterData.IntegerData);
		break;
	case NdisParameterHexInteger:
		snprintf(value, sizeof(value), "%x", ParameterValue->ParameterData.IntegerData);
		break;
	case NdisParameterString:
	case NdisParameterMultiString: {
		const NDIS_STRING *s = &ParameterValue->ParameterData.StringData;
		unsigned n = s->Length / sizeof(WCHAR);

		if (n > NDISRT_PARAM_VALUE_MAX || (n && !s->Buffer))
			goto out;
		for (unsigned i = 0; i < n; i++) {
			if (s->Buffer[i] < 0x20 || s->Buffer[i] > 0x7E)
				goto out;
			value[i] = (char)s->Buffer[i];
		}
		value[n] = 0;
		break;
	}
	default:
		goto out;
	}
	ret = store_set(nic, name, value);
	*Status = ret == 0	   ? NDIS_STATUS_SUCCESS
		  : ret == -ENOSPC ? NDIS_STATUS_RESOURCES
				   : NDIS_STATUS_FAILURE;
out:
	ke_preempt_point(KE_PP_DDI_EXIT);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * NdisReadNetworkAddress() - The "NetworkAddress" parameter as a 6-byte
 * MAC address. Context: PASSIVE_LEVEL. *Status: SUCCESS, FAILURE (not set,
 * or not 12 hex digits with optional '-'/':' separators), RESOURCES.
 */
VOID NdisReadNetworkAddress(PNDIS_STATUS Status, PVOID *NetworkAddress, PUINT NetworkAddressLength,
			    NDIS_HANDLE ConfigurationHandle)
{
	char value[NDISRT_PARAM_VALUE_MAX + 1];
	UCHAR mac[6];
	unsigned digits = 0;
	struct config_value *v;
	struct param *p;
	struct config *c;
	ke_irql_t old;

	ndis_ddi_enter(NDIS_WDK_DDI_CONFIG, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	if (!Status || !NetworkAddress || !NetworkAddressLength)
		ndisrt_violation(NDISRT_VIOLATION_BAD_PARAMETER, (uintptr_t)Status,
				 (uintptr_t)NetworkAddress, NDIS_WDK_DDI_CONFIG,
				 "NdisReadNetworkAddress: an output pointer is NULL");
	*NetworkAddress = NULL;
	*NetworkAddressLength = 0;
	*Status = NDIS_STATUS_FAILURE;
	c = config_take(ConfigurationHandle,
			"NdisReadNetworkAddress: not an open configuration handle", &old);
	p = store_find(c->nic, "NetworkAddress");
	if (p)
		strcpy(value, p->value);
	store_lock_drop(old);
	if (!p)
		goto out;
	for (const char *s = value; *s; s++) {
		int h = hexval(*s);

		if (h < 0) {
			if ((*s == '-' || *s == ':') && digits % 2 == 0 && digits)
				continue;
			goto out;
		}
		if (digits == 12)
			goto out;
		if (digits % 2 == 0)
			mac[digits / 2] = (UCHAR)(h << 4);
		else
			mac[digits / 2] |= (UCHAR)h;
		digits++;
	}
	if (digits != 12)
		goto out;
	v = ndis_zalloc(sizeof(*v));
	if (!v) {
		*Status = NDIS_STATUS_RESOURCES;
		goto out;
	}
	memcpy(v->address, mac, sizeof(mac));
	old = store_lock_take();
	c = config_find(ConfigurationHandle);
	if (c) {
		v->next = c->values;
		c->values = v;
	}
	store_lock_drop(old);
	if (!c) {
		ndis_free(v);
		goto out;
	}
	*NetworkAddress = v->address;
	*NetworkAddressLength = sizeof(mac);
	*Status = NDIS_STATUS_SUCCESS;
out:
	ke_preempt_point(KE_PP_DDI_EXIT);
}

/*
 * NdisCloseConfiguration() - Free the handle and everything reads returned
 * through it. Context: PASSIVE_LEVEL. A handle that is not open (closed
 * twice, never opened) is bug check 0xC4 BAD_OBJECT.
 */
VOID NdisCloseConfiguration(NDIS_HANDLE ConfigurationHandle)
{
	struct config_value *v, *next;
	struct config *c, **pp;
	ke_irql_t old;

	ndis_ddi_enter(NDIS_WDK_DDI_CONFIG, KE_PASSIVE_LEVEL, KE_PASSIVE_LEVEL);
	c = config_take(ConfigurationHandle,
			"NdisCloseConfiguration: not an open configuration handle (closed twice?)",
			&old);
	for (pp = &open_list; *pp != c; pp = &(*pp)->next)
		;
	*pp = c->next;
	store_lock_drop(old);
	for (v = c->values; v; v = next) {
		next = v->next;
		ndis_free(v);
	}
	c->magic = 0;
	ndis_free(c);
	ke_preempt_point(KE_PP_DDI_EXIT);
}
