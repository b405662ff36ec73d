# The original Prophet (R, Stan), as a side-by-side reference for `npm run bench`.
# Usage: Rscript r-prophet.R history.csv holidays.csv future.csv out.csv log(0|1)
#   history.csv: id,ds,y (known days only)   future.csv: id,ds   holidays.csv: holiday,ds (may be empty)
# Writes out.csv: id,h,yhat,ms — ms is each series' fit + forecast time, measured here.
suppressMessages(library(prophet))
args <- commandArgs(trailingOnly = TRUE)
history <- read.csv(args[1], colClasses = c("character", "Date", "numeric"))
holidays <- NULL
if (file.size(args[2]) > 0) holidays <- read.csv(args[2], colClasses = c("character", "Date"))
future <- read.csv(args[3], colClasses = c("character", "Date"))
log_scale <- args[5] == "1"
out <- list()
for (id in unique(future$id)) {
  df <- history[history$id == id, c("ds", "y")]
  if (log_scale) df$y <- log1p(pmax(df$y, 0))
  started <- proc.time()[["elapsed"]]
  m <- suppressMessages(prophet(df, holidays = holidays, daily.seasonality = FALSE))
  yhat <- predict(m, future[future$id == id, "ds", drop = FALSE])$yhat
  ms <- (proc.time()[["elapsed"]] - started) * 1000
  if (log_scale) yhat <- expm1(yhat)
  out[[id]] <- data.frame(id = id, h = seq_along(yhat) - 1, yhat = pmax(yhat, 0), ms = ms)
}
write.csv(do.call(rbind, out), args[4], row.names = FALSE)
