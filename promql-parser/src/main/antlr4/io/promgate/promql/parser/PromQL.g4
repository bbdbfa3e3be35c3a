/*
 * PromQL grammar, after Prometheus 3.5's promql/parser/generated_parser.y.
 *
 * Precedence (lowest first): or; and unless; == != <= < >= >; + -; * / % atan2; unary + -; ^ (right
 * associative); postfix [range], [range:step], offset, @ (tightest). ANTLR gives earlier alternatives
 * of a left-recursive rule higher precedence, hence the order below. Unary minus sits between * and ^
 * exactly as Prometheus' "%prec MUL": -1^2 is -(1^2), -a*b is (-a)*b.
 *
 * Type checking and Prometheus' semantic errors are not here but in AstBuilder and TypeChecker.
 */
parser grammar PromQL;

options { tokenVocab = PromQLLexer; }

query          : expr EOF ;
metricSelector : vectorSelector EOF ;
durationOnly   : durationExpr EOF ;

expr
    : expr LEFT_BRACKET range=durationExpr (COLON step=durationExpr? )? RIGHT_BRACKET # subscriptExpr
    | expr OFFSET offsetValue                                                     # offsetExpr
    | expr AT atValue                                                             # atExpr
    | <assoc=right> expr op=POW binModifier expr                                  # binaryExpr
    | op=(ADD | SUB) expr                                                         # unaryExpr
    | expr op=(MUL | DIV | MOD | ATAN2) binModifier expr                          # binaryExpr
    | expr op=(ADD | SUB) binModifier expr                                        # binaryExpr
    | expr op=(EQLC | NEQ | LTE | LSS | GTE | GTR) binModifier expr               # binaryExpr
    | expr op=(LAND | LUNLESS) binModifier expr                                   # binaryExpr
    | expr op=LOR binModifier expr                                                # binaryExpr
    | aggregation                                                                 # aggregationExpr
    | functionCall                                                                # callExpr
    | vectorSelector                                                              # selectorExpr
    | (NUMBER | DURATION)                                                         # numberExpr
    | STRING                                                                      # stringExpr
    | LEFT_PAREN expr RIGHT_PAREN                                                 # parenExpr
    ;

binModifier
    : BOOL? (onOrIgnoring groupingLabels groupModifier?)?
    ;

// Prometheus' LALR parser always reads a "(" right after group_left/group_right as the label list;
// the predicate stops ANTLR's unbounded lookahead from reading it as the right operand instead.
groupModifier
    : (GROUP_LEFT | GROUP_RIGHT) ( {_input.LA(1) == LEFT_PAREN}? groupingLabels | {_input.LA(1) != LEFT_PAREN}? )
    ;

onOrIgnoring : ON | IGNORING ;

aggregation
    : aggregateOp grouping functionArgs
    | aggregateOp functionArgs grouping?
    ;

grouping : (BY | WITHOUT) groupingLabels ;

groupingLabels : LEFT_PAREN (groupingLabel (COMMA groupingLabel)* COMMA?)? RIGHT_PAREN ;

groupingLabel : maybeLabel | STRING ;

functionCall : IDENTIFIER functionArgs ;

// A trailing comma parses, so that AstBuilder can give Prometheus' message for it.
functionArgs : LEFT_PAREN (expr (COMMA expr)* trailing=COMMA?)? RIGHT_PAREN ;

// After "offset": a plain (signed) number or duration binds tightly, so "foo offset 1h + 2" is
// (foo offset 1h) + 2; anything else is a duration expression, e.g. "offset (1h * 2)".
offsetValue
    : sign=(ADD | SUB)? (NUMBER | DURATION)   # offsetLiteral
    | durationExpr                            # offsetDuration
    ;

atValue
    : sign=(ADD | SUB)? (NUMBER | DURATION)   # atNumber
    | (START | END) LEFT_PAREN RIGHT_PAREN     # atStartEnd
    ;

durationExpr
    : <assoc=right> durationExpr op=POW durationExpr      # durationBinary
    | op=(ADD | SUB) durationExpr                         # durationUnary
    | durationExpr op=(MUL | DIV | MOD) durationExpr      # durationBinary
    | durationExpr op=(ADD | SUB) durationExpr            # durationBinary
    | LEFT_PAREN durationExpr RIGHT_PAREN                 # durationParen
    | (NUMBER | DURATION)                                 # durationLiteral
    ;

vectorSelector
    : metricIdentifier labelMatchers?
    | labelMatchers
    ;

labelMatchers : LEFT_BRACE (labelMatcher (COMMA labelMatcher)* COMMA?)? RIGHT_BRACE ;

labelMatcher
    : (IDENTIFIER | STRING) matchOp STRING   # labelMatch
    | STRING                                 # nameMatch
    ;

matchOp : EQL | NEQ | EQL_REGEX | NEQ_REGEX ;

aggregateOp
    : SUM | AVG | COUNT | MIN | MAX | GROUP | STDDEV | STDVAR | TOPK | BOTTOMK | COUNT_VALUES
    | QUANTILE | LIMITK | LIMIT_RATIO
    ;

// Keywords Prometheus accepts as a metric name (generated_parser.y: metric_identifier).
metricIdentifier
    : IDENTIFIER | METRIC_IDENTIFIER | AVG | BOTTOMK | BY | COUNT | COUNT_VALUES | GROUP | LAND | LOR
    | LUNLESS | MAX | MIN | OFFSET | QUANTILE | STDDEV | STDVAR | SUM | TOPK | WITHOUT | START | END
    | LIMITK | LIMIT_RATIO
    ;

// Keywords Prometheus accepts as a label name in by/without/on/ignoring/group_x lists (maybe_label).
maybeLabel
    : IDENTIFIER | METRIC_IDENTIFIER | AVG | BOOL | BOTTOMK | BY | COUNT | COUNT_VALUES | GROUP
    | GROUP_LEFT | GROUP_RIGHT | IGNORING | LAND | LOR | LUNLESS | MAX | MIN | OFFSET | ON | QUANTILE
    | STDDEV | STDVAR | SUM | TOPK | START | END | ATAN2 | LIMITK | LIMIT_RATIO
    ;
