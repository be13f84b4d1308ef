/*
 * The show_if condition language in the browser: evaluates the JSON tree the server's parser
 * produced (surveyapp/questionnaire/conditions.py), with exactly the same meaning. The server
 * decides in the end; this only shows and hides questions while the form is filled in.
 *
 *   SurveyConditions.evaluate(ast, answers) -> boolean
 *   SurveyConditions.visibleIds(plan, answers) -> {pages: [...], questions: [...], answerIds: [...]}
 *
 * `answers` maps answer ids to arrays of strings (empty or missing = unanswered; empty strings
 * and non-strings are ignored). `plan` is conditions.visibility_plan(questionnaire) as JSON.
 */
(function (root) {
  "use strict";

  // Same pattern as NUMBER_PATTERN in conditions.py.
  var NUMBER = /^-?[0-9]+(?:\.[0-9]+)?$/;

  function asNumber(value) {
    var number;
    if (typeof value === "number") {
      number = value;
    } else if (typeof value === "string" && NUMBER.test(value)) {
      number = Number(value);
    } else {
      return null;
    }
    return isFinite(number) ? number : null;
  }

  // Equal as numbers when both are numbers, else as strings; a number never equals text.
  function valuesEqual(answer, value) {
    var a = asNumber(answer);
    var b = asNumber(value);
    if (a !== null && b !== null) {
      return a === b;
    }
    return typeof value === "string" && answer === value;
  }

  function compare(answer, op, value) {
    var a = asNumber(answer);
    var b = asNumber(value);
    if (a === null || b === null) {
      return false;
    }
    if (op === "<") return a < b;
    if (op === "<=") return a <= b;
    if (op === ">") return a > b;
    return a >= b;
  }

  function answerValues(answers, ref) {
    var values = answers && Object.prototype.hasOwnProperty.call(answers, ref) ? answers[ref] : [];
    if (typeof values === "string") {
      values = [values];
    }
    if (!Array.isArray(values)) {
      return [];
    }
    return values.filter(function (v) {
      return typeof v === "string" && v !== "";
    });
  }

  function some(values, test) {
    for (var i = 0; i < values.length; i++) {
      if (test(values[i])) return true;
    }
    return false;
  }

  function inList(values, list) {
    return some(values, function (v) {
      return some(list, function (x) {
        return valuesEqual(v, x);
      });
    });
  }

  function evaluate(ast, answers) {
    var op = ast.op;
    var i;
    if (op === "or") {
      for (i = 0; i < ast.args.length; i++) {
        if (evaluate(ast.args[i], answers)) return true;
      }
      return false;
    }
    if (op === "and") {
      for (i = 0; i < ast.args.length; i++) {
        if (!evaluate(ast.args[i], answers)) return false;
      }
      return true;
    }
    if (op === "not") {
      return !evaluate(ast.arg, answers);
    }
    var values = answerValues(answers, ast.ref);
    if (op === "answered") {
      return values.length > 0;
    }
    if (op === "==") {
      return some(values, function (v) {
        return valuesEqual(v, ast.value);
      });
    }
    if (op === "!=") {
      return (
        values.length > 0 &&
        !some(values, function (v) {
          return valuesEqual(v, ast.value);
        })
      );
    }
    if (op === "<" || op === "<=" || op === ">" || op === ">=") {
      return some(values, function (v) {
        return compare(v, op, ast.value);
      });
    }
    if (op === "in") {
      return inList(values, ast.values);
    }
    if (op === "not in") {
      return values.length > 0 && !inList(values, ast.values);
    }
    throw new Error("unknown condition operator " + JSON.stringify(op));
  }

  // Walk pages and questions in order; a hidden question's answers count as unanswered.
  function visibleIds(plan, answers) {
    var shown = {};
    var result = { pages: [], questions: [], answerIds: [] };
    for (var p = 0; p < plan.length; p++) {
      var page = plan[p];
      if (page.show_if && !evaluate(page.show_if, shown)) continue;
      result.pages.push(page.id);
      for (var q = 0; q < page.questions.length; q++) {
        var question = page.questions[q];
        if (question.show_if && !evaluate(question.show_if, shown)) continue;
        result.questions.push(question.id);
        for (var a = 0; a < question.answer_ids.length; a++) {
          var answerId = question.answer_ids[a];
          shown[answerId] = answerValues(answers, answerId);
          result.answerIds.push(answerId);
        }
      }
    }
    return result;
  }

  var api = { evaluate: evaluate, visibleIds: visibleIds };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  }
  if (root) {
    root.SurveyConditions = api;
  }
})(typeof window !== "undefined" ? window : null);
