--[[
callout.lua: Quarto callouts for the embedded engine (pandoc + Typst).

A Div with class callout-note, callout-warning, callout-important, callout-tip
or callout-caution becomes a boxed note. Its title is the `title` attribute,
else a leading heading inside the Div (removed from the body, and so from the
table of contents, as Quarto does), else the language's default title passed
by render.py in the metadata map `piano-render.callout-titles`.

  html  -> <div class="callout callout-note"> with .callout-title/.callout-body
  typst -> #callout(kind: "note", title: [...])[ body ]  (defined in the template)
  docx  -> a one-cell table with table style "CalloutNote" (added to the
           reference document by render.py when missing)
]]

local KINDS = { note = true, warning = true, important = true, tip = true, caution = true }

local default_titles = {}

local function callout_kind(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind and KINDS[kind] then
      return kind
    end
  end
  return nil
end

-- Title inlines and remaining body blocks of a callout Div.
local function split_title(div, kind)
  local body = div.content:clone()
  if div.attributes.title then
    local parsed = pandoc.read(div.attributes.title, "markdown").blocks
    return pandoc.utils.blocks_to_inlines(parsed), body
  end
  if #body > 0 and body[1].t == "Header" then
    local header = body:remove(1)
    return header.content, body
  end
  return pandoc.Inlines(default_titles[kind] or kind), body
end

local function html_callout(kind, title, body)
  local title_div = pandoc.Div({ pandoc.Plain(title) }, pandoc.Attr("", { "callout-title" }))
  local body_div = pandoc.Div(body, pandoc.Attr("", { "callout-body" }))
  return pandoc.Div({ title_div, body_div }, pandoc.Attr("", { "callout", "callout-" .. kind }))
end

local function typst_markup(inlines)
  local text = pandoc.write(pandoc.Pandoc({ pandoc.Plain(inlines) }), "typst")
  return (text:gsub("%s+$", ""))
end

local function typst_callout(kind, title, body)
  local open = string.format('#callout(kind: "%s", title: [%s])[', kind, typst_markup(title))
  local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", open) })
  blocks:extend(body)
  blocks:insert(pandoc.RawBlock("typst", "]"))
  return blocks
end

local function docx_style_name(kind)
  return "Callout" .. kind:sub(1, 1):upper() .. kind:sub(2)
end

local function docx_callout(kind, title, body)
  local cell = pandoc.Blocks({ pandoc.Para({ pandoc.Strong(title) }) })
  cell:extend(body)
  local simple = pandoc.SimpleTable({}, { pandoc.AlignDefault }, { 1.0 }, {}, { { cell } })
  local table = pandoc.utils.from_simple_table(simple)
  table.attr = pandoc.Attr("", { "callout" }, { ["custom-style"] = docx_style_name(kind) })
  return table
end

local function plain_callout(title, body)
  local blocks = pandoc.Blocks({ pandoc.Para({ pandoc.Strong(title) }) })
  blocks:extend(body)
  return blocks
end

local function render_callout(div)
  local kind = callout_kind(div)
  if not kind then
    return nil
  end
  local title, body = split_title(div, kind)
  if FORMAT:match("html") then
    return html_callout(kind, title, body)
  elseif FORMAT == "typst" then
    return typst_callout(kind, title, body)
  elseif FORMAT == "docx" then
    return docx_callout(kind, title, body)
  end
  return plain_callout(title, body)
end

local function read_default_titles(meta)
  local settings = meta["piano-render"]
  if settings and settings["callout-titles"] then
    for kind, title in pairs(settings["callout-titles"]) do
      default_titles[kind] = pandoc.utils.stringify(title)
    end
  end
end

return {
  { Meta = read_default_titles },
  { Div = render_callout },
}
