"""One router per resource of the API, each a few thin routes: parse (``deps``), call one
use case or reader, return its model."""
