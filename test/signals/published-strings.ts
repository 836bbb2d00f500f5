// Consent strings published in the IAB libraries' own test suites (iabtcf-es, iabgpp-es), so what
// we assert about them is checked against an encoder we did not write.

/** iabtcf-es modules/core/test/TCString.test.ts: purpose consents 3-9, special feature 1. */
export const TC_PURPOSES_3_TO_9 =
  "COrEAV4OrXx94ACABBENAHCIAD-AAAAAAACAAxAAAAgAIAwgAgAAAAEAgQAAAAAEAYQAQAAAACAAAABAAA.IBAgAAAgAIAwgAgAAAAEAAAACA.QAagAQAgAIAwgA";
/** iabtcf-es modules/core/test/ReportedIssues.test.ts, issue 201: purpose consents 1-10, special features 1 and 2. */
export const TC_PURPOSES_1_TO_10 =
  "CO4VGswO4VGswAfZCBDEAzCsAP_AAH_AAAigGUNf_X9fb2vj-_599_t0eY1f9_63t-wzjheMs-8NyZ-X_J4Wv2MyvB34JqQKGRgkunLBAQdtHGncTQgBwIlViTLMY02MjzNKJrJEilsbe2dYGH9vn8XT_ZKZ70-_v__7v3___33_5Ayhr_6_r7e18f3_Pvv9ujzGr_v_W9v2GccLxln3huTPy_5PC1-xmV4O_BNSBQyMEl05YICDto407iaEAOBEqsSZZjGmxkeZpRNZIkUtjb2zrAw_t8_i6f7JTPen39___d-___--__ICgKAOAAcAA4AFAAjgB6AEYALcGACAW0AtoJAHAAOAAcACgARwA9ACMAFuFABALaAW0GgDgAHAAOABQAI4AegBGAC3DgAgFtALaEQBwADgAHAAoAEcAPQAjABbiQAQC2gFtCoA4ABwADgAUACOAHoARgAtxYAIBbQC2hkAcAA4ABwAKABHAD0AIwAW40AEAtoBbQ6AOAAcAA4AFAAjgB6AEYALceACAW0AtohAHAAOAAcACgARwA9ACMAFuRABALaAW0SgDgAHAAOABQAI4AegBGAC3JgAgFtALaKQBwADgAHAAoAEcAPQAjABblQAQC2gFtA";
/** iabgpp-es modules/cmpapi/test/GppModel.test.ts, its tcfeuv2 section: no consents at all. */
export const TC_NO_CONSENT = "CPSG_8APSG_8ANwAAAENAwCAAAAAAAAAAAAAAAAAAAAA.QAAA.IAAA";
/** iabtcf-es ReportedIssues.test.ts, issue 156: a TCF v1 consent string. */
export const TC_VERSION_1 =
  "BOhwdphOxFC7tAHABBFRC--AAAAuhr_7__7-_9_-_f__9uj3Or_v_f__32ccL59v_h_7v-_7fi_20nV4u_1vft9yfk1-5ctDztp507iakivXmqdeb9v_nz3_5pxP78k89r7337Ew_v8_v-b7BCON_YxEiA";
/** iabtcf-es ReportedIssues.test.ts, issue 142: bitfield length does not match maxId. */
export const TC_BAD_BITFIELD =
  "CLSYjTaOngnCIAOABBENAXCMAGOAABBAAA7IA5n-m7fP6_3fbqVv6E__PoA5Aqff3aJx8tv_1967rfnQEQoAIAAQCrwkAEABAcACABIMACAAuApEVABABUSABgBCAVSAtIoACACIArYQAHACgAFgAVwBJgDcAI7AWgMAAgBiKgAgBMgFfKQAQBRkQAQA4AFiBAAoA-AEVAJlAVgAtYcACAJcAr4eABAK8OgBgFzAOmAqwgABAWyA.IFukWSQh";

/** iabgpp-es GppModel.test.ts: tcfeuv2 only. */
export const GPP_TCFEU_ONLY = "DBABMA~" + TC_NO_CONSENT;
/** iabgpp-es GppModel.test.ts: tcfeuv2 and uspv1 "1YNN" (notice given, sale not opted out). */
export const GPP_TCFEU_AND_USP = "DBACNYA~" + TC_NO_CONSENT + "~1YNN";
/** iabgpp-es GppModel.test.ts: uspv1 only, sale not opted out. */
export const GPP_USP_NOT_OPTED_OUT = "DBABTA~1YNN";
/** The same, with the uspv1 opt-out-of-sale character set to Y. */
export const GPP_USP_OPTED_OUT = "DBABTA~1YYN";
/** iabgpp-es GppModel.test.ts: every section at its default (US fields "not applicable", tcfeuv2 without consents). */
export const GPP_ALL_DEFAULTS =
  "DBACOaw~CPSG_8APSG_8AAAAAAENAACAAAAAAAAAAAAAAAAAAAAA.QAAA.IAAA~CPSG_8APSG_8AAAAAAENAACAAAAAAAAAAAAAAAAA.YAAAAAAAAAA~1---~BAAAAAAAAAA.QA~BAAAAAAA.QA~BAAAAAA~BAAAAAA.QA~BAAAAAAA~BAAAAAAA.QA";
/** iabgpp-es test/encoder/section/UsNat.test.ts "BVVVkkkkkpFY.YA" under the usnat header: sale, sharing, targeted ads opted out; GPC set. */
export const GPP_USNAT_ALL_OPTED_OUT = "DBABLA~BVVVkkkkkpFY.YA";
/** iabgpp-es UsNat.test.ts "BVQqAAAACg": notices given, nothing opted out. */
export const GPP_USNAT_NONE_OPTED_OUT = "DBABLA~BVQqAAAACg";
/** iabgpp-es test/encoder/section/UsCa.test.ts "BVWSSSVY.YA" under the usca header: sale and sharing opted out; GPC set. */
export const GPP_USCA_OPTED_OUT = "DBABBg~BVWSSSVY.YA";
/** iabgpp-es test/encoder/section/UsVa.test.ts "BVWSSVY" under the usva header: sale and targeted advertising opted out. */
export const GPP_USVA_OPTED_OUT = "DBABRg~BVWSSVY";
