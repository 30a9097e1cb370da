--[[
options.lua: Quarto attributes the embedded engine implements before callouts and cross-references.

- conditional content: a Div or Span with class content-visible or content-hidden and an attribute
  when-format="..." or unless-format="..." (a format name: html, typst or docx, or a list
  separated by commas or spaces) is kept or dropped for the output format, then unwrapped; with
  no condition content-visible always shows and content-hidden always hides, as in Quarto. Other
  conditions (when-meta, when-profile, ...) stop the render: "piano-options: unsupported ...".
- fig-alt="..." on an image: its alternative text (HTML alt, DOCX descr) instead of the caption;
  in Typst, where pandoc's writer (3.9) drops an image's description, the image is written as raw
  Typst `image("src", width: .., alt: "..")` (`#box(image(..))` outside a figure, as pandoc does),
  so the tagged PDF carries the text as the figure's /Alt.
- tbl-colwidths="[10,30,60]" on a table's caption line: the column widths in percent of the text
  width, rescaled only if they add up to more than 100; it wins over the dashes of a pipe table
  and over the document option (metadata piano-render.tbl-colwidths: false drops the widths of
  the other tables, a list applies to them).

What real Quarto does with each: docs/rendering.md, «What the code relies on from Quarto».
]]

local TARGETS = { html5 = "html", html = "html", typst = "typst", docx = "docx" }
local target = TARGETS[FORMAT] or FORMAT

local SUPPORTED_CONDITIONS = { ["when-format"] = true, ["unless-format"] = true }
local document_colwidths = nil -- nil: keep the widths pandoc read; false: drop them; a list: use it

local function names(value)
  local set = {}
  for name in value:gmatch("[^,%s]+") do
    set[name] = true
  end
  return set
end

local function has_class(element, class)
  for _, c in ipairs(element.classes) do
    if c == class then
      return true
    end
  end
  return false
end

-- true: show the content, false: hide it, nil: not conditional content.
local function visible(element)
  local shows = has_class(element, "content-visible")
  local hides = has_class(element, "content-hidden")
  if not shows and not hides then
    return nil
  end
  local matches = true
  for key, value in pairs(element.attributes) do
    if key:match("^when%-") or key:match("^unless%-") then
      if not SUPPORTED_CONDITIONS[key] then
        io.stderr:write("piano-options: unsupported " .. key .. "\n")
        error("piano-options: condizione non supportata: " .. key)
      end
      local listed = names(value)[target] == true
      if key == "when-format" then
        matches = matches and listed
      else
        matches = matches and not listed
      end
    end
  end
  if shows then
    return matches
  end
  return not matches
end

-- a Div or a Span: its content if shown, nothing if hidden, unchanged if not conditional
local function conditional(element)
  local show = visible(element)
  if show == nil then
    return nil
  end
  return show and element.content or {}
end

local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("%s+", " ") .. '"'
end

-- A length of a Quarto/pandoc image attribute as Typst: 70% -> 70%, 300px -> 225pt (96 px per inch).
local function typst_length(value)
  local number, unit = tostring(value):match("^%s*([%d%.]+)%s*(%a*%%?)%s*$")
  if number == nil then
    return nil
  end
  if unit == "px" or unit == "" then
    return string.format("%gpt", tonumber(number) * 0.75)
  end
  return number .. unit
end

-- Raw Typst for an image with alternative text: image("src", width: .., height: .., alt: "..").
local function typst_image(image, alt)
  local args = { typst_string(image.src) }
  for _, key in ipairs({ "width", "height" }) do
    local length = image.attributes[key] and typst_length(image.attributes[key])
    if length then
      table.insert(args, key .. ": " .. length)
    end
  end
  table.insert(args, "alt: " .. typst_string(alt))
  return "image(" .. table.concat(args, ", ") .. ")"
end

-- Typst, images of a figure: `#image(..)` (the figure's kind stays image); see the module comment.
local function typst_figure_alt(figure)
  if target ~= "typst" then
    return nil
  end
  return figure:walk({
    Image = function(image)
      local alt = image.attributes["fig-alt"]
      if alt == nil then
        return nil
      end
      return pandoc.RawInline("typst", "#" .. typst_image(image, alt))
    end,
  })
end

local function alt_text(image)
  local alt = image.attributes["fig-alt"]
  if alt == nil then
    return nil
  end
  if target == "typst" then
    return pandoc.RawInline("typst", "#box(" .. typst_image(image, alt) .. ")")
  end
  image.attributes["fig-alt"] = nil
  image.caption = pandoc.Inlines({ pandoc.Str(alt) })
  return image
end

local function parse_widths(text)
  local widths = {}
  for number in tostring(text):gmatch("[%d%.]+") do
    table.insert(widths, tonumber(number))
  end
  return widths
end

local function set_widths(tbl, widths)
  if #widths ~= #tbl.colspecs then
    io.stderr:write("piano-options: tbl-colwidths " .. #widths .. " widths for " .. #tbl.colspecs .. " columns\n")
    error("piano-options: tbl-colwidths non corrisponde al numero di colonne")
  end
  local total = 0
  for _, w in ipairs(widths) do
    total = total + w
  end
  local scale = total > 100 and 100 / total or 1
  for i, spec in ipairs(tbl.colspecs) do
    tbl.colspecs[i] = { spec[1], widths[i] * scale / 100 }
  end
end

local function column_widths(tbl)
  local own = tbl.attributes["tbl-colwidths"]
  tbl.attributes["tbl-colwidths"] = nil
  if own ~= nil and own ~= "auto" and own ~= "true" then
    set_widths(tbl, parse_widths(own))
  elseif own == nil and document_colwidths == false then
    for i, spec in ipairs(tbl.colspecs) do
      tbl.colspecs[i] = { spec[1], pandoc.ColWidthDefault }
    end
  elseif own == nil and type(document_colwidths) == "table" then
    set_widths(tbl, document_colwidths)
  end
  return tbl
end

local function read_options(meta)
  local settings = meta["piano-render"]
  local value = settings and settings["tbl-colwidths"]
  if value == nil then
    return nil
  end
  if type(value) == "boolean" then
    if value == false then
      document_colwidths = false
    end
  elseif pandoc.utils.type(value) == "List" then
    document_colwidths = {}
    for _, item in ipairs(value) do
      table.insert(document_colwidths, tonumber(pandoc.utils.stringify(item)))
    end
  end
  return nil
end

return {
  { Meta = read_options },
  { Div = conditional, Span = conditional },
  { Figure = typst_figure_alt },
  { Image = alt_text, Table = column_widths },
}
