// The `\p{…}` names Go's regexp accepts when built with Go 1.26 (Traefik v3.7's toolchain). Since
// Go 1.25 names are matched loosely (case, `_`, `-` and spaces ignored) and include long aliases
// (`Letter`), `Any`, `Assigned` and `ASCII`; the tables are Unicode 15.0. re2js knows Unicode 17
// scripts and only exact names, so it can neither be trusted nor followed here.

// regexp/syntax canonicalName: drop `_`, `-` and spaces, uppercase the first letter, lowercase the rest.
export function canonicalClassName(name: string): string {
  const letters = name.replace(/[_\- ]/g, '');
  return letters.replace(/^[a-z]/, (c) => c.toUpperCase()).replace(/(?<!^)[A-Z]/g, (c) => c.toLowerCase());
}

const SPECIAL = ['Any', 'Assigned', 'Ascii', 'Lc'];

const CATEGORIES = [
  'C', 'Cc', 'Cf', 'Cn', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl',
  'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
];

// Unicode's long General_Category names (unicode.CategoryAliases).
const CATEGORY_ALIASES = [
  'Other', 'Control', 'Format', 'Unassigned', 'Private_Use', 'Surrogate', 'Letter', 'Cased_Letter',
  'Lowercase_Letter', 'Modifier_Letter', 'Other_Letter', 'Titlecase_Letter', 'Uppercase_Letter', 'Mark',
  'Spacing_Mark', 'Enclosing_Mark', 'Nonspacing_Mark', 'Number', 'Decimal_Number', 'Letter_Number',
  'Other_Number', 'Punctuation', 'Connector_Punctuation', 'Dash_Punctuation', 'Close_Punctuation',
  'Final_Punctuation', 'Initial_Punctuation', 'Other_Punctuation', 'Open_Punctuation', 'Symbol',
  'Currency_Symbol', 'Modifier_Symbol', 'Math_Symbol', 'Other_Symbol', 'Separator', 'Line_Separator',
  'Paragraph_Separator', 'Space_Separator',
];

// Unicode 15.0 scripts whose Go table key is already canonical. Multi-word keys (`Old_Italic`,
// `SignWriting`) are left out: Go 1.25 looked them up by the canonical name and missed them, and
// whether Go 1.26 has the later fix is not known here, so they are refused to be safe.
const SCRIPTS = [
  'Adlam', 'Ahom', 'Arabic', 'Armenian', 'Avestan', 'Balinese', 'Bamum', 'Batak', 'Bengali', 'Bhaiksuki',
  'Bopomofo', 'Brahmi', 'Braille', 'Buginese', 'Buhid', 'Carian', 'Chakma', 'Cham', 'Cherokee', 'Chorasmian',
  'Common', 'Coptic', 'Cuneiform', 'Cypriot', 'Cyrillic', 'Deseret', 'Devanagari', 'Dogra', 'Duployan',
  'Elbasan', 'Elymaic', 'Ethiopic', 'Georgian', 'Glagolitic', 'Gothic', 'Grantha', 'Greek', 'Gujarati',
  'Gurmukhi', 'Han', 'Hangul', 'Hanunoo', 'Hatran', 'Hebrew', 'Hiragana', 'Inherited', 'Javanese', 'Kaithi',
  'Kannada', 'Katakana', 'Kawi', 'Kharoshthi', 'Khmer', 'Khojki', 'Khudawadi', 'Lao', 'Latin', 'Lepcha',
  'Limbu', 'Lisu', 'Lycian', 'Lydian', 'Mahajani', 'Makasar', 'Malayalam', 'Mandaic', 'Manichaean', 'Marchen',
  'Medefaidrin', 'Miao', 'Modi', 'Mongolian', 'Mro', 'Multani', 'Myanmar', 'Nabataean', 'Nandinagari', 'Newa',
  'Nko', 'Nushu', 'Ogham', 'Oriya', 'Osage', 'Osmanya', 'Palmyrene', 'Phoenician', 'Rejang', 'Runic',
  'Samaritan', 'Saurashtra', 'Sharada', 'Shavian', 'Siddham', 'Sinhala', 'Sogdian', 'Soyombo', 'Sundanese',
  'Syriac', 'Tagalog', 'Tagbanwa', 'Takri', 'Tamil', 'Tangsa', 'Tangut', 'Telugu', 'Thaana', 'Thai', 'Tibetan',
  'Tifinagh', 'Tirhuta', 'Toto', 'Ugaritic', 'Vai', 'Vithkuqi', 'Wancho', 'Yezidi', 'Yi',
];

const KNOWN = new Set([...SPECIAL, ...CATEGORIES, ...SCRIPTS, ...CATEGORY_ALIASES.map(canonicalClassName)]);

/** Whether `\p{name}` (or `\pX` with name X) compiles in Traefik's Go; a leading `^` negates. */
export function isGoUnicodeClassName(name: string): boolean {
  return KNOWN.has(canonicalClassName(name.startsWith('^') ? name.slice(1) : name));
}
