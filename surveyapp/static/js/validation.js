/*
 * The server's answer checks in the browser (surveyapp/collect/submission.py, validate),
 * reading the rules the server rendered from the questionnaire (collect/rules.py) instead
 * of a copy of its own. The server decides in the end; this tells the interviewer before
 * an interview is sent. tests/unit/collect/test_validation_js_parity.py runs the same
 * cases through both.
 *
 *   SurveyValidation.validate(rules, plan, answers, options)
 *     -> {answers: {answer id: [values]}, errors: [{answer_id, code, params}]}
 *
 * `answers` maps answer ids to arrays of strings as the form holds them; they are cleaned
 * as the server cleans posted values. options.only: the question ids to check (a page);
 * options.mayDeclineRequired: "Vil ikke svare" answers a required question (interviews).
 */
(function (root) {
  "use strict";
  var DECLINED = "_declined";
  var conditions = root && root.SurveyConditions ? root.SurveyConditions
    : (typeof require === "function" ? require("./conditions.js") : null);

  var CONTROL = /\p{C}/gu;
  var DIGIT = /\p{Nd}/u;
  var DIGITS = /\p{Nd}/gu;
  // What Python's float() reads once decimal digits are ASCII (PEP 515 underscores too).
  var FLOAT = /^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;

  /* As submission._clean_text: NFC, CRLF -> LF, no control characters but line breaks,
     no surrounding white space. */
  function cleanText(raw) {
    var text = String(raw).normalize("NFC").replace(/\r\n/g, "\n");
    text = text.replace(CONTROL, function (ch) { return ch === "\n" ? ch : ""; });
    return text.trim();
  }

  function codePoints(text) { return Array.from(text).length; }

  /* The value of a decimal digit of any script: Unicode keeps each script's 0-9 together. */
  function digitValue(ch) {
    var point = ch.codePointAt(0);
    var start = point;
    while (start > 0 && DIGIT.test(String.fromCodePoint(start - 1))) { start -= 1; }
    return String((point - start) % 10);
  }

  /* As submission.parse_number: a decimal comma, spaces between digit groups. */
  function parseNumber(value) {
    var text = value.replace(/,/g, ".").replace(/ /g, "").trim().replace(DIGITS, digitValue);
    if (!FLOAT.test(text)) { return null; }
    var number = Number(text.replace(/_/g, ""));
    return isFinite(number) ? number : null;
  }

  function error(answerId, code, params) {
    return { answer_id: answerId, code: code, params: params || {} };
  }

  function same(values, list) {
    return values.length === list.length && values.every(function (v, i) { return v === list[i]; });
  }

  function checkNumber(rule, answerId, value) {
    var number = parseNumber(value);
    if (number === null) { return error(answerId, "not_a_number"); }
    if (rule.integer && number !== Math.trunc(number)) { return error(answerId, "not_integer"); }
    var low = rule.min === null || rule.min === undefined ? -Infinity : rule.min;
    var high = rule.max === null || rule.max === undefined ? Infinity : rule.max;
    if (!(low <= number && number <= high)) {
      return error(answerId, "out_of_range", { min: rule.min, max: rule.max });
    }
    return null;
  }

  function check(rule, answerId, values) {
    if (!values.length) { return rule.required ? error(answerId, "required") : null; }
    if (same(values, [DECLINED])) { return rule.required ? error(answerId, "required") : null; }
    if (rule.kind === "multiple") {
      var unique = values.filter(function (v, i) { return values.indexOf(v) === i; });
      var allowed = values.every(function (v) { return rule.choices.indexOf(v) !== -1; });
      if (unique.length !== values.length || !allowed) { return error(answerId, "invalid_choice"); }
      var exclusive = values.some(function (v) { return rule.exclusive.indexOf(v) !== -1; });
      return values.length > 1 && exclusive ? error(answerId, "exclusive_choice") : null;
    }
    if (values.length !== 1) { return error(answerId, "one_value_only"); }
    var value = values[0];
    if (rule.kind === "choice") {
      return rule.choices.indexOf(value) === -1 ? error(answerId, "invalid_choice") : null;
    }
    if (rule.kind === "number") { return checkNumber(rule, answerId, value); }
    var length = codePoints(value);
    if (length > rule.max_length) {
      return error(answerId, "too_long", { max: rule.max_length, length: length });
    }
    return null;
  }

  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  function cleanAnswers(answers) {
    var cleaned = {};
    Object.keys(answers).forEach(function (answerId) {
      var values = (answers[answerId] || []).map(cleanText).filter(Boolean);
      if (values.length) { cleaned[answerId] = values; }
    });
    return cleaned;
  }

  function validate(rules, plan, answers, options) {
    options = options || {};
    var given = cleanAnswers(answers);
    // "Vil ikke svare" counts as no answer for the conditions, as on the server
    var forConditions = {};
    Object.keys(given).forEach(function (id) {
      if (!same(given[id], [DECLINED])) { forConditions[id] = given[id]; }
    });
    var visible = conditions.visibleIds(plan, forConditions).questions;
    var cleaned = {};
    Object.keys(given).forEach(function (id) {
      if (visible.indexOf(id.split(".")[0]) !== -1) { cleaned[id] = given[id]; }
    });
    var errors = [];
    rules.order.forEach(function (answerId) {
      var rule = rules.answers[answerId];
      if (visible.indexOf(rule.question) === -1) { return; }
      if (options.only && options.only.indexOf(rule.question) === -1) { return; }
      var values = has(cleaned, answerId) ? cleaned[answerId] : [];
      if (options.mayDeclineRequired && same(values, [DECLINED])) { return; }
      var found = check(rule, answerId, values);
      if (found) { errors.push(found); }
    });
    return { answers: cleaned, errors: errors };
  }

  var api = {
    validate: validate, cleanText: cleanText, parseNumber: parseNumber, DECLINED: DECLINED
  };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  if (root) { root.SurveyValidation = api; }
})(typeof window !== "undefined" ? window : null);
