--[[
images.lua: a missing image file fails the render of every format alike.

Left alone, pandoc only warns for HTML and DOCX (and puts the description in
place of the picture) while Typst stops with an error. Each local image is
looked up in pandoc's resource path (render.py sets it to the document's
folder); the line "piano-image: missing SRC" on stderr lets render.py name
the source line.
]]

local function exists(path)
  local file = io.open(path, "rb")
  if file then
    file:close()
    return true
  end
  return false
end

local function is_local(src)
  return src ~= "" and not src:match("^%a[%w+.-]*:")
end

local function found(src)
  if src:sub(1, 1) == "/" then
    return exists(src)
  end
  for _, folder in ipairs(PANDOC_STATE.resource_path) do
    if exists(folder .. "/" .. src) then
      return true
    end
  end
  return false
end

local function check_images(doc)
  local missing = {}
  doc:walk({
    Image = function(image)
      if is_local(image.src) and not found(image.src) then
        table.insert(missing, image.src)
      end
    end,
  })
  if #missing > 0 then
    for _, src in ipairs(missing) do
      io.stderr:write("piano-image: missing " .. src .. "\n")
    end
    error("piano-image: immagini mancanti")
  end
  return nil
end

return { { Pandoc = check_images } }
