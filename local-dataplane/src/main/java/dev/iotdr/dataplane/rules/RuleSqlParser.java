package dev.iotdr.dataplane.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A hand-written recursive-descent parser for the IoT SQL subset (no IoT SQL library exists for Java). Anything
 * it does not know is an {@link UnsupportedRuleException} naming it, so an unsupported rule fails at load.
 */
final class RuleSqlParser {
    private static final Set<String> KEYWORDS = Set.of("SELECT", "FROM", "WHERE", "AS", "AND", "OR", "NOT");
    /** IoT SQL words outside the subset: named in the error rather than read as field names. */
    private static final Set<String> UNSUPPORTED_WORDS =
            Set.of("CASE", "WHEN", "THEN", "ELSE", "END", "IN", "IS", "LIKE", "BETWEEN", "NULL", "VALUE", "DISTINCT");

    private enum Kind {
        WORD,
        STRING,
        NUMBER,
        SYMBOL,
        END
    }

    private record Token(Kind kind, String text, int position) {
        boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean symbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }
    }

    private final String sql;
    private final List<Token> tokens;
    private int next;

    RuleSqlParser(String sql) {
        this.sql = sql;
        this.tokens = tokenize(sql);
    }

    RuleSql parse() {
        expectKeyword("SELECT");
        List<RuleSql.SelectItem> items = new ArrayList<>();
        do {
            items.add(selectItem());
        } while (acceptSymbol(","));
        if (items.stream().filter(RuleSql.SelectItem.All.class::isInstance).count() > 1) {
            throw unsupported("SELECT names * more than once");
        }
        expectKeyword("FROM");
        Token from = advance();
        if (from.kind() != Kind.STRING) {
            throw unsupported("FROM must name a topic filter in single quotes, found " + describe(from));
        }
        TopicFilter filter = TopicFilter.parse(from.text());
        Optional<Expression> where = Optional.empty();
        if (peek().is("WHERE")) {
            advance();
            where = Optional.of(expression());
        }
        if (peek().kind() != Kind.END) {
            throw unsupported("unexpected " + describe(peek()) + " after the query");
        }
        return new RuleSql(sql, items, filter, where);
    }

    private RuleSql.SelectItem selectItem() {
        if (acceptSymbol("*")) {
            return new RuleSql.SelectItem.All();
        }
        Token start = peek();
        Expression expression = expression();
        if (peek().is("AS")) {
            advance();
            Token name = advance();
            if (name.kind() != Kind.WORD || KEYWORDS.contains(name.text().toUpperCase(Locale.ROOT))) {
                throw unsupported("AS must be followed by a name, found " + describe(name));
            }
            return new RuleSql.SelectItem.Named(expression, name.text());
        }
        if (expression instanceof Expression.Field(List<String> path)) {
            return new RuleSql.SelectItem.Named(expression, path.get(path.size() - 1));
        }
        throw unsupported("the SELECT item starting at " + describe(start)
                + " needs a name: write <expression> AS <name> (only plain fields are named after themselves)");
    }

    private Expression expression() {
        Expression left = conjunction();
        while (peek().is("OR")) {
            advance();
            left = new Expression.Logical(false, left, conjunction());
        }
        return left;
    }

    private Expression conjunction() {
        Expression left = negation();
        while (peek().is("AND")) {
            advance();
            left = new Expression.Logical(true, left, negation());
        }
        return left;
    }

    private Expression negation() {
        if (peek().is("NOT")) {
            advance();
            return new Expression.Not(negation());
        }
        return comparison();
    }

    private Expression comparison() {
        Expression left = primary();
        Token operator = peek();
        if (operator.kind() == Kind.WORD
                && UNSUPPORTED_WORDS.contains(operator.text().toUpperCase(Locale.ROOT))) {
            throw unsupported("'" + operator.text() + "' (operator outside the subset)");
        }
        if (operator.kind() == Kind.SYMBOL) {
            Expression.Comparator comparator =
                    switch (operator.text()) {
                        case "=" -> Expression.Comparator.EQ;
                        case "<>", "!=" -> Expression.Comparator.NE;
                        case "<" -> Expression.Comparator.LT;
                        case "<=" -> Expression.Comparator.LE;
                        case ">" -> Expression.Comparator.GT;
                        case ">=" -> Expression.Comparator.GE;
                        case "+", "-", "*", "/", "%", "||" ->
                            throw unsupported("operator " + operator.text() + " (arithmetic and concatenation)");
                        default -> null;
                    };
            if (comparator != null) {
                advance();
                return new Expression.Comparison(comparator, left, primary());
            }
        }
        return left;
    }

    private Expression primary() {
        Token token = advance();
        switch (token.kind()) {
            case STRING -> {
                return new Expression.Literal(JsonNodeFactory.instance.stringNode(token.text()));
            }
            case NUMBER -> {
                return new Expression.Literal(number(token.text()));
            }
            case SYMBOL -> {
                if (token.symbol("(")) {
                    Expression inner = expression();
                    expectSymbol(")");
                    return inner;
                }
                if (token.symbol("-") && peek().kind() == Kind.NUMBER) {
                    return new Expression.Literal(number("-" + advance().text()));
                }
                throw unsupported("unexpected " + describe(token));
            }
            case WORD -> {
                return word(token);
            }
            default -> throw unsupported("the query ends where an expression was expected");
        }
    }

    private Expression word(Token token) {
        String upper = token.text().toUpperCase(Locale.ROOT);
        if (upper.equals("TRUE") || upper.equals("FALSE")) {
            return new Expression.Literal(BooleanNode.valueOf(upper.equals("TRUE")));
        }
        if (KEYWORDS.contains(upper) || UNSUPPORTED_WORDS.contains(upper)) {
            throw unsupported("'" + token.text() + "' where an expression was expected");
        }
        if (acceptSymbol("(")) {
            return function(token);
        }
        List<String> path = new ArrayList<>(List.of(token.text()));
        while (acceptSymbol(".")) {
            Token part = advance();
            if (part.kind() != Kind.WORD) {
                throw unsupported("a field name after '.', found " + describe(part));
            }
            path.add(part.text());
        }
        if (peek().symbol("[")) {
            throw unsupported("array indexing ([...]) in " + String.join(".", path));
        }
        return new Expression.Field(path);
    }

    private Expression function(Token name) {
        String function = name.text().toLowerCase(Locale.ROOT);
        List<Token> arguments = new ArrayList<>();
        if (!acceptSymbol(")")) {
            do {
                arguments.add(advance());
            } while (acceptSymbol(","));
            expectSymbol(")");
        }
        switch (function) {
            case "topic" -> {
                if (arguments.isEmpty()) {
                    return new Expression.Topic(0);
                }
                if (arguments.size() == 1
                        && arguments.get(0).kind() == Kind.NUMBER
                        && arguments.get(0).text().matches("[1-9][0-9]{0,3}")) {
                    return new Expression.Topic(
                            Integer.parseInt(arguments.get(0).text()));
                }
                throw unsupported("topic() takes no argument or one whole number from 1 (the 1-based level)");
            }
            case "clientid", "timestamp", "principal" -> {
                if (!arguments.isEmpty()) {
                    throw unsupported(function + "() takes no arguments");
                }
                return switch (function) {
                    case "clientid" -> new Expression.ClientId();
                    case "timestamp" -> new Expression.Timestamp();
                    default -> new Expression.Principal();
                };
            }
            default ->
                throw unsupported("function " + name.text() + "(); supported: topic(), topic(n), clientid(),"
                        + " timestamp(), principal()");
        }
    }

    private static tools.jackson.databind.JsonNode number(String text) {
        BigDecimal value = new BigDecimal(text);
        if (value.scale() <= 0) {
            try {
                return JsonNodeFactory.instance.numberNode(value.longValueExact());
            } catch (ArithmeticException tooLarge) {
                return JsonNodeFactory.instance.numberNode(value.toBigIntegerExact());
            }
        }
        return JsonNodeFactory.instance.numberNode(value);
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token advance() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private boolean acceptSymbol(String symbol) {
        if (peek().symbol(symbol)) {
            next++;
            return true;
        }
        return false;
    }

    private void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) {
            throw unsupported("expected '" + symbol + "', found " + describe(peek()));
        }
    }

    private void expectKeyword(String keyword) {
        Token token = advance();
        if (!token.is(keyword)) {
            throw unsupported("expected " + keyword + ", found " + describe(token));
        }
    }

    private static String describe(Token token) {
        return switch (token.kind()) {
            case END -> "the end of the query";
            case STRING -> "'" + token.text() + "' at " + token.position();
            default -> "\"" + token.text() + "\" at " + token.position();
        };
    }

    private UnsupportedRuleException unsupported(String what) {
        return new UnsupportedRuleException("rule SQL outside the supported IoT SQL subset: " + what + " in: " + sql);
    }

    private List<Token> tokenize(String text) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder value = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= text.length()) {
                        throw unsupported("a string starting at " + i + " is not closed");
                    }
                    if (text.charAt(j) == '\'') {
                        if (j + 1 < text.length() && text.charAt(j + 1) == '\'') {
                            value.append('\'');
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    value.append(text.charAt(j++));
                }
                out.add(new Token(Kind.STRING, value.toString(), i));
                i = j + 1;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < text.length() && (Character.isDigit(text.charAt(j)) || text.charAt(j) == '.')) {
                    j++;
                }
                String number = text.substring(i, j);
                if (!number.matches("[0-9]+(\\.[0-9]+)?")) {
                    throw unsupported("malformed number " + number + " at " + i);
                }
                out.add(new Token(Kind.NUMBER, number, i));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token(Kind.WORD, text.substring(i, j), i));
                i = j;
            } else {
                String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
                if (Set.of("<>", "!=", "<=", ">=", "||").contains(two)) {
                    out.add(new Token(Kind.SYMBOL, two, i));
                    i += 2;
                } else if ("*,().=<>+-/%[]".indexOf(c) >= 0) {
                    out.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                    i++;
                } else {
                    throw unsupported("character '" + c + "' at " + i
                            + " (double-quoted names, $ variables and other syntax are not in the subset)");
                }
            }
        }
        out.add(new Token(Kind.END, "", text.length()));
        return out;
    }
}
