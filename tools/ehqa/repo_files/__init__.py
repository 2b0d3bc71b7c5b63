"""repo_files"""
