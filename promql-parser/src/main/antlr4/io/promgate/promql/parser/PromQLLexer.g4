/*
 * PromQL lexer, modelled on Prometheus 3.5's hand-written state machine (promql/parser/lex.go).
 *
 * Prometheus' lexer is context sensitive; ANTLR modes give us the same three contexts:
 *  - default: keywords (case-insensitive) are their own tokens; the parser accepts most of them again
 *    where Prometheus accepts them as metric or label names;
 *  - inside braces {...}: every word is an IDENTIFIER (keywords are plain label names), no colons;
 *  - inside brackets [...]: only numbers, durations, arithmetic, parentheses and ':'.
 * Malformed input is not dropped: it becomes one of the ERR_* tokens, which LexicalCheck turns into
 * Prometheus' exact lexer message (e.g. "unexpected character inside braces: '.'").
 */
lexer grammar PromQLLexer;

// ---- keywords (Prometheus lower-cases a word before looking it up) ----
LAND          options { caseInsensitive = true; } : 'and';
LOR           options { caseInsensitive = true; } : 'or';
LUNLESS       options { caseInsensitive = true; } : 'unless';
ATAN2         options { caseInsensitive = true; } : 'atan2';
SUM           options { caseInsensitive = true; } : 'sum';
AVG           options { caseInsensitive = true; } : 'avg';
COUNT         options { caseInsensitive = true; } : 'count';
MIN           options { caseInsensitive = true; } : 'min';
MAX           options { caseInsensitive = true; } : 'max';
GROUP         options { caseInsensitive = true; } : 'group';
STDDEV        options { caseInsensitive = true; } : 'stddev';
STDVAR        options { caseInsensitive = true; } : 'stdvar';
TOPK          options { caseInsensitive = true; } : 'topk';
BOTTOMK       options { caseInsensitive = true; } : 'bottomk';
COUNT_VALUES  options { caseInsensitive = true; } : 'count_values';
QUANTILE      options { caseInsensitive = true; } : 'quantile';
LIMITK        options { caseInsensitive = true; } : 'limitk';
LIMIT_RATIO   options { caseInsensitive = true; } : 'limit_ratio';
OFFSET        options { caseInsensitive = true; } : 'offset';
BY            options { caseInsensitive = true; } : 'by';
WITHOUT       options { caseInsensitive = true; } : 'without';
ON            options { caseInsensitive = true; } : 'on';
IGNORING      options { caseInsensitive = true; } : 'ignoring';
GROUP_LEFT    options { caseInsensitive = true; } : 'group_left';
GROUP_RIGHT   options { caseInsensitive = true; } : 'group_right';
BOOL          options { caseInsensitive = true; } : 'bool';
START         options { caseInsensitive = true; } : 'start';
END           options { caseInsensitive = true; } : 'end';

// ---- literals ----
// Inf and NaN are numbers in any case; a longer word (e.g. "info") is an identifier by longest match.
NUMBER        : DEC_NUMBER | HEX_NUMBER | INF_NAN;
DURATION      : DURATION_BODY;
// A number or duration run into letters ("5x", "1h30") is one bad token, as in Prometheus.
ERR_NUMBER    : ([0-9] | '.' [0-9]) [0-9a-zA-Z_.]*;
STRING        : DQ_STRING | SQ_STRING | RAW_STRING;
ERR_STRING    : DQ_OPEN | SQ_OPEN;
ERR_RAW       : '`' ~'`'*;

IDENTIFIER        : [a-zA-Z_] [a-zA-Z0-9_]*;
METRIC_IDENTIFIER : [a-zA-Z_:] [a-zA-Z0-9_:]*;

// ---- punctuation and operators ----
LEFT_PAREN    : '(';
RIGHT_PAREN   : ')';
LEFT_BRACE    : '{' -> pushMode(BRACES);
LEFT_BRACKET  : '[' -> pushMode(BRACKETS);
COMMA         : ',';
AT            : '@';
ADD           : '+';
SUB           : '-';
MUL           : '*';
DIV           : '/';
MOD           : '%';
POW           : '^';
EQLC          : '==';
NEQ           : '!=';
LTE           : '<=';
LSS           : '<';
GTE           : '>=';
GTR           : '>';
EQL           : '=';
ERR_EQL_TILDE : '=~';
ERR_BANG      : '!';
ERR_RIGHT_BRACKET : ']';

WS            : [ \t\r\n]+ -> skip;
COMMENT       : '#' ~[\r\n]* -> skip;
ERR_CHAR      : .;

mode BRACES;
B_WS          : [ \t\r\n]+ -> skip;
B_COMMENT     : '#' ~[\r\n]* -> skip;
B_IDENTIFIER  : [a-zA-Z_] [a-zA-Z0-9_]* -> type(IDENTIFIER);
B_STRING      : (DQ_STRING | SQ_STRING | RAW_STRING) -> type(STRING);
B_ERR_STRING  : (DQ_OPEN | SQ_OPEN) -> type(ERR_STRING);
B_ERR_RAW     : '`' ~'`'* -> type(ERR_RAW);
EQL_REGEX     : '=~';
NEQ_REGEX     : '!~';
B_NEQ         : '!=' -> type(NEQ);
B_EQL         : '=' -> type(EQL);
B_COMMA       : ',' -> type(COMMA);
RIGHT_BRACE   : '}' -> popMode;
ERR_BRACE_BANG  : '!';
ERR_BRACE_LEFT  : '{';
ERR_BRACE_CHAR  : .;

mode BRACKETS;
K_WS          : [ \t\r\n]+ -> skip;
K_NUMBER      : (DEC_NUMBER | HEX_NUMBER | INF_NAN) -> type(NUMBER);
K_DURATION    : DURATION_BODY -> type(DURATION);
K_ERR_NUMBER  : ([0-9] | '.' [0-9]) [0-9a-zA-Z_.]* -> type(ERR_NUMBER);
COLON         : ':';
K_LEFT_PAREN  : '(' -> type(LEFT_PAREN);
K_RIGHT_PAREN : ')' -> type(RIGHT_PAREN);
K_ADD         : '+' -> type(ADD);
K_SUB         : '-' -> type(SUB);
K_MUL         : '*' -> type(MUL);
K_DIV         : '/' -> type(DIV);
K_MOD         : '%' -> type(MOD);
K_POW         : '^' -> type(POW);
RIGHT_BRACKET : ']' -> popMode;
ERR_BRACKET_LEFT : '[';
ERR_BRACKET_CHAR : .;

// ---- fragments ----
fragment DIGITS      : [0-9] ('_'? [0-9])*;
fragment EXPONENT    : [eE] [+-]? DIGITS;
fragment DEC_NUMBER  : DIGITS ('.' DIGITS?)? EXPONENT? | '.' DIGITS EXPONENT?;
fragment HEX_NUMBER  : '0' [xX] '_'? [0-9a-fA-F] ('_'? [0-9a-fA-F])*;
fragment INF_NAN     : [iI] [nN] [fF] | [nN] [aA] [nN];
fragment UNIT        : 'ms' | [smhdwy];
fragment DURATION_BODY : (DIGITS ('.' DIGITS?)? | '.' DIGITS) UNIT ([0-9]+ UNIT)*;
// Escapes are checked (with Go's rules) when the string is unquoted, so "\q" lexes and then fails
// there with Prometheus' message.
fragment DQ_STRING   : '"' (~["\\\n] | '\\' ~'\n' )* '"';
fragment SQ_STRING   : '\'' (~['\\\n] | '\\' ~'\n' )* '\'';
fragment RAW_STRING  : '`' ~'`'* '`';
fragment DQ_OPEN     : '"' (~["\\\n] | '\\' ~'\n' )* '\\'?;
fragment SQ_OPEN     : '\'' (~['\\\n] | '\\' ~'\n' )* '\\'?;
